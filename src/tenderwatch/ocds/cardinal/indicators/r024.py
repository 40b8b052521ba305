"""R024 Price close to winning bid: the second-lowest bid is within Q1 − 1.5·IQR of the winner's."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Partial
from tenderwatch.ocds.cardinal.indicators.quantiles import lower_fence
from tenderwatch.ocds.cardinal.indicators.results import Results


class R024(Step):
    code = "R024"

    def finalize(self, merged: Partial, results: Results) -> None:
        ratios = results.ratios
        threshold = self.ctx.settings.get_float("R024", "threshold")
        skip = False
        if threshold is None:
            q1, q3, skip = self.measured_quartiles(results, [ratio for ratio, _, _ in ratios.values()])
            fence = lower_fence(q1, q3)
        else:
            fence, q1 = threshold, 1.0  # q1 only has to pass the guard below
        results.set_meta(self.code, "lower_fence", fence)
        if skip:
            return
        # Ratios are non-negative: if Q1 is 0, a quarter of processes have equal bids and the
        # fence would flag them all, so Cardinal skips the indicator.
        if not (q1 > 0.0 and fence > 0.0):
            return
        for key, (ratio, winners, others) in ratios.items():
            if ratio <= fence:
                results.set("OCID", key, self.code, ratio)
                # Cardinal's order here is a HashMap's (unspecified); ours is fixed, runner-up first,
                # which is also the order of Cardinal's reference output.
                for tenderer_id in others + winners:
                    results.set("Tenderer", tenderer_id, self.code, 0.0)
                if self.ctx.map:
                    results.map_ids("ocid_tenderer_r024", key, others + winners)

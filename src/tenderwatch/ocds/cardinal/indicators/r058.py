"""R058 Heavily discounted bid: the winner's bid is at least Q3 + 1.5·IQR below the next-lowest."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Partial
from tenderwatch.ocds.cardinal.indicators.quantiles import upper_fence
from tenderwatch.ocds.cardinal.indicators.results import Results


class R058(Step):
    code = "R058"

    def finalize(self, merged: Partial, results: Results) -> None:
        ratios = results.ratios
        fence = self.ctx.settings.get_float("R058", "threshold")
        skip = False
        if fence is None:
            q1, q3, skip = self.measured_quartiles(results, [ratio for ratio, _, _ in ratios.values()])
            fence = upper_fence(q1, q3)
        results.set_meta(self.code, "upper_fence", fence)
        if skip:
            return
        if not fence > 0.0:  # ratios are non-negative; a zero fence would flag most processes
            return
        for key, (ratio, winners, _) in ratios.items():
            if ratio >= fence:
                results.set("OCID", key, self.code, ratio)
                for tenderer_id in winners:
                    results.set("Tenderer", tenderer_id, self.code, 0.0)
                if self.ctx.map:
                    results.map_ids("ocid_tenderer_r058", key, winners)

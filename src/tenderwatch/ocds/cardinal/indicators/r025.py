"""R025 Excessive unsuccessful bids: a frequent tenderer whose win ratio is at most Q1 − 1.5·IQR.

Per tenderer: processes won ÷ processes with a valid bid (each process once). Only tenderers whose
process count reaches the `percentile`-th percentile of counts are flagged.
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.lots import award_units
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process
from tenderwatch.ocds.cardinal.indicators.quantiles import lower_fence, percentile
from tenderwatch.ocds.cardinal.indicators.results import Results


class R025(Step):
    code = "R025"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        awards = p.complete_awards_if_final()
        if awards is None:
            return False
        units = award_units(p, awards, self.ctx.ext)
        if units is None:
            return False
        consortia = self.ctx.ext.consortia
        tally = acc.t.tally("r025")
        counted = False
        for _, winners, _, bids in units:
            valid: dict[str, None] = {}
            for status, _, _, ids, count, _, _ in bids:
                if status != "valid":
                    continue
                if count == 1 and ids:
                    valid[ids[0]] = None
                elif consortia and count > 1:
                    valid.update(dict.fromkeys(ids))
            for tenderer_id in valid:
                won = 1 if tenderer_id in winners else 0
                fraction = tally.get(tenderer_id)
                if fraction is None:
                    tally[tenderer_id] = [won, 1, acc.t.stamp]
                    acc.t.stamp += 1
                else:
                    fraction[0] += won
                    fraction[1] += 1
                counted = True
        return counted

    def finalize(self, merged: Partial, results: Results) -> None:
        tally = merged.t.tallies.get("r025", {})
        settings = self.ctx.settings
        count_fence = percentile(
            [float(d) for _, d, _ in tally.values()], settings.get_int("R025", "percentile", 75)
        )
        threshold = settings.get_float("R025", "threshold")
        skip = False
        if threshold is None:
            q1, q3, skip = self.measured_quartiles(results, [n / d for n, d, _ in tally.values()])
            ratio_fence = lower_fence(q1, q3)
        else:
            ratio_fence, q1 = threshold, 1.0  # q1 only has to pass the guard below
        results.set_meta(self.code, "upper_fence", count_fence)
        results.set_meta(self.code, "lower_fence", ratio_fence)
        # If Q1 is 0, a quarter of tenderers never win and the fence would flag the top tenderers.
        if skip or not (q1 > 0.0 and ratio_fence > 0.0):
            return
        flagged = [
            (won / processes, tenderer_id)
            for tenderer_id, (won, processes, _) in tally.items()
            if processes >= count_fence and won / processes <= ratio_fence
        ]
        # Cardinal iterates a HashMap (unspecified order); ours is fixed: lowest win ratio first,
        # ties in first-seen order (sort is stable). It matches Cardinal's reference output.
        flagged.sort(key=lambda pair: pair[0])
        for ratio, tenderer_id in flagged:
            results.set("Tenderer", tenderer_id, self.code, ratio)

"""R038 Excessive disqualified bids: disqualified ÷ submitted bids at or above Q3 + 1.5·IQR.

Summed per buyer, procuring entity and tenderer. As in Cardinal's code (not its docs), the
buyer/procuring-entity minimum `minimum_contracting_processes` is compared with submitted bids.
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, obj_get
from tenderwatch.ocds.cardinal.indicators.quantiles import upper_fence
from tenderwatch.ocds.cardinal.indicators.results import Results


class R038(Step):
    code = "R038"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        submitted = p.submitted_bids()
        if not submitted:
            return False
        tenderers = acc.t.tally("r038_tenderer")
        stamp = acc.t.stamp
        disqualified = 0
        for status, _, _, ids, _, _, _ in submitted:
            increment = 1 if status == "disqualified" else 0
            disqualified += increment
            # Every listed tenderer counts, repeats included, as in Cardinal.
            for tenderer_id in ids:
                fraction = tenderers.get(tenderer_id)
                if fraction is None:
                    tenderers[tenderer_id] = [increment, 1, stamp]
                    stamp += 1
                else:
                    fraction[0] += increment
                    fraction[1] += 1
        acc.t.stamp = stamp
        buyer_id = obj_get(p.release.get("buyer"), "id")
        if isinstance(buyer_id, str):
            acc.t.add("r038_buyer", buyer_id, disqualified, len(submitted))
            if self.ctx.map and disqualified:
                acc.map("ocid_buyer_r038")[p.ocid] = buyer_id
        entity_id = obj_get(p.tender.get("procuringEntity"), "id")
        if isinstance(entity_id, str):
            acc.t.add("r038_procuring_entity", entity_id, disqualified, len(submitted))
            if self.ctx.map and disqualified:
                acc.map("ocid_procuringentity_r038")[p.ocid] = entity_id
        return True

    def finalize(self, merged: Partial, results: Results) -> None:
        settings = self.ctx.settings
        processes = settings.get_int("R038", "minimum_contracting_processes", 2)
        bids = settings.get_int("R038", "minimum_submitted_bids", 2)
        self._flag(merged, results, "r038_buyer", processes, "Buyer")
        self._flag(merged, results, "r038_procuring_entity", processes, "ProcuringEntity")
        self._flag(merged, results, "r038_tenderer", bids, "Tenderer")

    def _flag(self, merged: Partial, results: Results, name: str, minimum: int, group: str) -> None:
        table = merged.t.tallies.get(name, {})
        ratios = {key: n / d for key, (n, d, _) in table.items() if d >= minimum}
        if not ratios:
            return
        fence = self.ctx.settings.get_float("R038", "threshold")
        skip = False
        if fence is None:
            q1, q3, skip = self.measured_quartiles(results, list(ratios.values()), prefix=f"{group}_")
            fence = upper_fence(q1, q3)
        results.set_meta(self.code, f"{group}_upper_fence", fence)
        # Ratios are non-negative: a zero fence means most have no disqualified bids at all.
        if skip or not fence > 0.0:
            return
        for key, ratio in ratios.items():
            if ratio >= fence:
                results.set(group, key, self.code, ratio)

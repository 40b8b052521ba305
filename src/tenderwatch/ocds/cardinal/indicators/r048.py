"""R048 Heterogeneous supplier: distinct item-classification prefixes at or above Q3 + 1.5·IQR.

Only active awards with one supplier count (Cardinal does not assume every supplier of a
consortium supplies every item; our `consortia` counts each member). Cardinal has no guard for
IQR = 0 here; our `iqr_zero_guard` adds one.
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, obj_get, string_ids
from tenderwatch.ocds.cardinal.indicators.quantiles import upper_fence
from tenderwatch.ocds.cardinal.indicators.results import Results


class R048(Step):
    code = "R048"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.digits = ctx.settings.get_int("R048", "digits", 2)

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        if p.awards is None:
            return False
        observed: set[str] = set()
        table = acc.t.r048
        stamp = acc.t.stamp
        for award in p.awards:
            if not isinstance(award, dict) or award.get("status") != "active":
                continue
            items, suppliers = award.get("items"), award.get("suppliers")
            if not isinstance(items, list) or not isinstance(suppliers, list):
                continue
            ids = string_ids(suppliers)
            if len(suppliers) == 1:
                if len(ids) != 1:
                    continue
            elif not (self.ctx.ext.consortia and ids and len(ids) == len(suppliers)):
                continue
            for item in items:
                code = obj_get(obj_get(item, "classification"), "id")
                if not isinstance(code, str):
                    continue
                for supplier_id in ids:
                    entry = table.get(supplier_id)
                    if entry is None:
                        entry = table[supplier_id] = ([0, stamp], set())
                        stamp += 1
                    if supplier_id not in observed:  # each process counts once per supplier
                        observed.add(supplier_id)
                        entry[0][0] += 1
                    entry[1].add(code[: self.digits])
        acc.t.stamp = stamp
        return bool(observed)

    def finalize(self, merged: Partial, results: Results) -> None:
        minimum = self.ctx.settings.get_int("R048", "minimum_contracting_processes", 20)
        lengths = {
            key: float(len(codes)) for key, (count, codes) in merged.t.r048.items() if count[0] >= minimum
        }
        threshold = self.ctx.settings.get_int("R048", "threshold", -1)
        skip = False
        if threshold < 0:
            q1, q3, skip = self.measured_quartiles(results, list(lengths.values()))
            fence = upper_fence(q1, q3)
        else:
            fence = float(threshold)
        results.set_meta(self.code, "upper_fence", fence)
        if skip:
            return
        for key, length in lengths.items():
            if length >= fence:
                results.set("Tenderer", key, self.code, length)

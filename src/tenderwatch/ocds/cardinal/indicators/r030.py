"""R030 Late bid won: a valid bid dated after tenderPeriod.endDate from an active award's supplier.

Cardinal compares the dates as strings, which is right only for same-offset ISO 8601 text; we
keep that so results stay identical.
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, string_ids


class R030(Step):
    code = "R030"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        period = p.tender.get("tenderPeriod")
        end = period.get("endDate") if isinstance(period, dict) else None
        if not isinstance(end, str) or p.awards is None or p.details is None:
            return False
        suppliers: set[str] = set()
        for award in p.awards:
            if isinstance(award, dict) and award.get("status") == "active":
                suppliers.update(string_ids(award.get("suppliers")))
        late: dict[str, None] = {}
        dated = False
        for status, _, _, ids, count, date, _ in p.bids():
            if status != "valid" or date is None or count < 0:
                continue
            dated = True
            if date > end:
                late.update((i, None) for i in ids if i in suppliers)
        if late:
            out.flag(self.code)
            for tenderer_id in late:
                out.flag_tenderer(tenderer_id, self.code, 1.0)
            if self.ctx.map:
                acc.map_union("ocid_tenderer_r030", p.ocid, late)
        return dated

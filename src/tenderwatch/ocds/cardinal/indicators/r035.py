"""R035 All except winning bid disqualified: one valid tenderer, who won, and others disqualified."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, string_ids


class R035(Step):
    code = "R035"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.threshold = max(ctx.settings.get_int("R035", "threshold", 1), 1)

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        awards = p.complete_awards_if_final()
        if awards is None:
            return False
        suppliers: set[str] = set()
        for award in awards:
            suppliers.update(string_ids(award.get("suppliers")))
        valid: dict[str, None] = {}
        disqualified: set[str] = set()
        for status, _, _, ids, _, _, _ in p.bids():
            if status == "valid":
                valid.update(dict.fromkeys(ids))
            elif status == "disqualified":
                disqualified.update(ids)
        # Not applicable with several valid tenderers: one award can aggregate several bids.
        if len(valid) != 1:
            return False
        if set(valid) == suppliers:
            others = len(disqualified - suppliers)
            if others >= self.threshold:
                winner = next(iter(valid))
                out.flag(self.code, float(others))
                out.flag_tenderer(winner, self.code, 0.0)
                if self.ctx.map:
                    acc.map_union("ocid_tenderer_r035", p.ocid, {winner: None})
        return True

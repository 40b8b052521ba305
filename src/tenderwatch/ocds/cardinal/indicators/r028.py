"""R028 Identical bid prices: the same amount and currency from different sets of tenderers."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process


class R028(Step):
    code = "R028"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        ctx = self.ctx
        if not p.matches_pmd(ctx.price_include, ctx.price_exclude):
            return False
        prices: dict[tuple[float, str], list[str]] = {}
        flagged: dict[str, None] = {}
        for _, amount, currency, ids, _, _, _ in p.submitted_bids():
            if amount is None or currency is None or not ids:
                continue
            price = (amount, currency)
            other = prices.get(price)
            # A tenderer may submit several bids at the same price.
            if other is not None and (
                ids != other if len(ids) == 1 == len(other) else set(ids) != set(other)
            ):
                flagged.update(dict.fromkeys(ids))
                flagged.update(dict.fromkeys(other))
            prices[price] = ids
        if flagged:
            out.flag(self.code)
            for tenderer_id in flagged:
                out.flag_tenderer(tenderer_id, self.code, 1.0)
            if ctx.map:
                acc.map_union("ocid_tenderer_r028", p.ocid, flagged)
        return len(prices) > 0

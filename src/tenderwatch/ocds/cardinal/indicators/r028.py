"""R028 Identical bid prices: the same amount and currency from different sets of tenderers."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, number


class R028(Step):
    code = "R028"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        ctx = self.ctx
        if not p.matches_pmd(ctx.price_include, ctx.price_exclude):
            return False
        prices: dict[tuple[float, str], list[str]] = {}
        flagged: dict[str, None] = {}
        for bid in p.submitted_bids():
            tenderers, value = bid.get("tenderers"), bid.get("value")
            if not isinstance(tenderers, list) or not isinstance(value, dict):
                continue
            amount, currency = number(value.get("amount")), value.get("currency")
            if amount is None or not isinstance(currency, str):
                continue
            ids = list(
                dict.fromkeys(
                    i for t in tenderers if isinstance(t, dict) and isinstance(i := t.get("id"), str)
                )
            )
            if not ids:
                continue
            price = (amount, currency)
            other = prices.get(price)
            # A tenderer may submit several bids at the same price.
            if other is not None and set(ids) != set(other):
                flagged.update(dict.fromkeys(ids))
                flagged.update(dict.fromkeys(other))
            prices[price] = ids
        if flagged:
            out.flag(self.code)
            for tenderer_id in flagged:
                out.flag_tenderer(tenderer_id, self.code, 1.0)
            if ctx.map:
                acc.map("ocid_tenderer_r028")[p.ocid] = flagged
        return len(prices) > 0

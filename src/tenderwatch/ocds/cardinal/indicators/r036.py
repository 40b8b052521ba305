"""R036 Lowest bid disqualified: with an active award and a valid priced bid, the lowest is disqualified.

Which currency counts is known only once the whole input is read (unless `currency` is set), so
each process records the currencies in which it would be flagged; the parent keeps the main one
(`collect.py`).
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process


class R036(Step):
    code = "R036"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        ctx = self.ctx
        if not p.matches_pmd(ctx.price_include, ctx.price_exclude) or p.awards is None:
            return False
        if not any(isinstance(a, dict) and a.get("status") == "active" for a in p.awards):
            return False
        # currency -> [lowest amount, lowest is disqualified, has a valid bid with an amount]
        lowest: dict[str, list[float | bool]] = {}
        counts = acc.t.currency_counts
        for status, amount, currency, _, _, _, _ in p.submitted_bids():
            if amount is None or currency is None:
                continue
            if acc.first_currency is None:
                acc.first_currency = currency
            counts[currency] = counts.get(currency, 0) + 1
            entry = lowest.get(currency)
            if entry is None:
                lowest[currency] = [amount, status == "disqualified", status == "valid"]
            else:
                if amount < entry[0]:  # strictly lower: on ties the first bid stays
                    entry[0], entry[1] = amount, status == "disqualified"
                if status == "valid":
                    entry[2] = True
        flagged = tuple(
            currency for currency, (_, disqualified, valid) in lowest.items() if disqualified and valid
        )
        if flagged:
            out.r036 = flagged
        return any(entry[2] for entry in lowest.values())

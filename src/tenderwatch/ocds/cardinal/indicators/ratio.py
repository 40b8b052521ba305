"""The step R024 and R058 share: how much lower the winning bid is than the next-lowest bid.

Cardinal needs every award final and exactly one active award with one supplier; the winning bid
is that supplier's lowest valid bid; the ratio is (lowest other bid − winning bid) / winning bid,
kept only if the winner is the lowest (otherwise the award was not on price alone). Amounts count
only in the main currency, which is known only after the whole file is read when `currency` is
unset, so each process keeps a ratio per currency and `finalize` picks the main one.

Our additions: `consortia` (a bid by several tenderers wins if they are the award's suppliers),
`related_bid` (the award's relatedBid names the winning bid) and `lots` (see `lots.py`).
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.lots import award_units
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial, Ratios
from tenderwatch.ocds.cardinal.indicators.process import Process, valid_priced_bids

Bid = tuple[tuple[str, ...], float, str, object]


def divide(numerator: float, denominator: float) -> float:
    """IEEE division as Rust does it (x/0 is ±inf or NaN, not an exception)."""
    if denominator == 0.0:
        if numerator == 0.0:
            return float("nan")
        return float("inf") if numerator > 0 else float("-inf")
    return numerator / denominator


def ratios_by_currency(bids: list[Bid], winners: tuple[str, ...], winning_bid: object) -> Ratios:
    """Per currency: (ratio, winner ids, lowest other bidder ids), if the winner bid lowest."""
    best: dict[str, list[tuple[float, tuple[str, ...]] | None]] = {}
    winner_set = set(winners)
    single = len(winners) == 1
    if winning_bid is not None and not any(bid[3] == winning_bid for bid in bids):
        winning_bid = None  # relatedBid names no valid bid: fall back to the supplier's lowest bid
    for ids, amount, currency, bid_id in bids:
        slot = best.get(currency)
        if slot is None:
            slot = best[currency] = [None, None]
        if winning_bid is not None:
            is_winner = bid_id == winning_bid
            if not is_winner and set(ids) == winner_set:
                continue  # the winner's other bids are neither the winning bid nor competitors
        else:
            is_winner = ids == winners if single and len(ids) == 1 else set(ids) == winner_set
        index = 0 if is_winner else 1
        current = slot[index]
        # Strictly lower replaces: on ties the first bid in the file stays.
        if current is None or amount < current[0]:
            slot[index] = (amount, ids)
    ratios: Ratios = {}
    for currency, (winner, other) in best.items():
        if winner is not None and other is not None and other[0] >= winner[0]:
            ratios[currency] = (divide(other[0] - winner[0], winner[0]), winner[1], other[1])
    return ratios


class SecondLowestBidRatio(Step):
    code = "ratio"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        ctx = self.ctx
        if not p.matches_pmd(ctx.price_include, ctx.price_exclude):
            return False
        awards = p.complete_awards_if_final()
        if awards is None or p.details is None:
            return False
        units = award_units(p, awards, ctx.ext)
        if units is None:
            return False
        found = False
        for key, winners, winning_bid, unit_bids in units:
            bids = valid_priced_bids(unit_bids, ctx.ext.consortia)
            if not bids:
                continue
            counts = acc.t.currency_counts
            for bid in bids:
                counts[bid[2]] = counts.get(bid[2], 0) + 1
            if acc.first_currency is None:
                acc.first_currency = bids[0][2]
            ratios = ratios_by_currency(bids, winners, winning_bid if ctx.ext.related_bid else None)
            for currency, (ratio, winner_ids, other_ids) in ratios.items():
                acc.ratios.append((key, currency, ratio, winner_ids, other_ids))
                found = True
        return found

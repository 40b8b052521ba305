"""Structural screens: who bids with whom, and who wins, computed within one market (one file).

Price screens look at one tender's bids only. Cartels also leave a trace in the market's structure:
the same firms meet again and again (co-bidding), a few regulars share the work, a designated winner
keeps beating the same covers (territories, incumbency) or the members take turns (rotation). These
are the screens competition authorities use beside the price screens.

Every feature is computed per tender from market-internal counts over the *other* tenders of the file,
so a tender does not count itself (a firm that bids once would otherwise look like its own regular).
Ids are never features: only counts derived from them are, and the classifier replaces each by its
percentile rank within the market like every other feature. No label is read here.

The winner is the bid flagged ``winner = 1`` (the lowest flagged one when a tender has several, e.g.
lots or consortia); without a flag the lowest bid stands in for it, so every feature is defined without
the ``winner`` column (``winner_not_lowest`` is then 0 everywhere, a constant that ranks to 0).

Markets without real bidder ids (each bidder seen once, as in the two Swiss files) get 0 for every
co-bidding feature: a constant, which the within-market rank turns into 0, i.e. "no information".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from tenderwatch.screens.bidsio import Bid

STRUCTURE_FEATURES: tuple[str, ...] = (
    "pair_meet_mean",  # mean over the tender's bidder pairs of the other tenders where both bid
    "pair_meet_max",  # the same, the most familiar pair
    "pair_jaccard_mean",  # mean Jaccard of the pairs' participation in the other tenders
    "regular_mean",  # mean log(1 + other tenders the bidder entered)
    "winner_win_rate",  # the winner's wins / entries in the other tenders (0 if it entered none)
    "loser_win_rate",  # mean win rate of the losing bidders in the other tenders (rotation: covers win elsewhere)
    "winner_dominance",  # share of the winner's head-to-heads with these rivals that it won elsewhere
    "winner_not_lowest",  # 1 if the winner is not a lowest bid (0 when winner is absent)
    "bid_dev_own",  # mean |log(bid / tender median) − the bidder's own median of it elsewhere|
)


def _winner(group: list[Bid]) -> Bid:
    flagged = [b for b in group if b.winner == 1]
    return min(flagged or group, key=lambda b: b.amount)


def _median_without(ordered: NDArray[np.float64], value: float) -> float:
    """Median of the sorted ``ordered`` with one occurrence of ``value`` removed (this bid is not its
    own history), by index arithmetic rather than a copy: a regular bidder has hundreds of bids."""
    drop = int(np.searchsorted(ordered, value))
    size = len(ordered) - 1

    def at(j: int) -> float:
        return float(ordered[j] if j < drop else ordered[j + 1])

    return (at((size - 1) // 2) + at(size // 2)) / 2.0


def structure_rows(bids: list[Bid], tender_ids: list[str]) -> NDArray[np.float64]:
    """One row of STRUCTURE_FEATURES per tender in ``tender_ids``, counts taken over the whole file."""
    groups: dict[str, list[Bid]] = defaultdict(list)
    for bid in bids:
        groups[bid.tender_id].append(bid)
    # A bidder entering a tender twice (two lots, a resubmission) is one entry of that tender.
    members = {t: sorted({b.bidder_id for b in g}) for t, g in groups.items()}
    entries: Counter[str] = Counter()
    wins: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    head: Counter[tuple[str, str]] = Counter()  # (winner, loser) over tenders where both bid
    log_ratio: dict[str, list[float]] = defaultdict(list)
    winners: dict[str, str] = {}
    for tender, group in groups.items():
        people = members[tender]
        entries.update(people)
        pairs.update(combinations(people, 2))
        winner = _winner(group).bidder_id
        winners[tender] = winner
        wins[winner] += 1
        head.update((winner, other) for other in people if other != winner)
        median = float(np.median([b.amount for b in group]))
        for b in group:
            log_ratio[b.bidder_id].append(math.log(b.amount / median))
    ratios = {bidder: np.sort(np.array(values)) for bidder, values in log_ratio.items()}
    rows = np.zeros((len(tender_ids), len(STRUCTURE_FEATURES)))
    for i, tender in enumerate(tender_ids):
        group, people, winner = groups[tender], members[tender], winners[tender]
        other = {p: entries[p] - 1 for p in people}  # entries in the other tenders
        # Pair counts minus this tender's own meeting.
        meets = [pairs[(a, b)] - 1 for a, b in combinations(people, 2)]
        jacc = [
            (m / (other[a] + other[b] - m)) if other[a] + other[b] - m > 0 else 0.0
            for (a, b), m in zip(combinations(people, 2), meets, strict=True)
        ]
        own_wins = wins[winner] - 1
        win_rate = own_wins / other[winner] if other[winner] > 0 else 0.0
        losers = [p for p in people if p != winner]
        loser_rates = [wins[p] / other[p] for p in losers if other[p] > 0]
        won = lost = 0
        for rival in people:
            if rival != winner:
                won += head[(winner, rival)] - 1
                lost += head[(rival, winner)]
        # No head-to-head elsewhere: neutral 0.5, neither dominant nor dominated.
        dominance = won / (won + lost) if won + lost > 0 else 0.5
        lowest = min(b.amount for b in group)
        not_lowest = 1.0 if _winner(group).amount > lowest else 0.0
        median = float(np.median([b.amount for b in group]))
        devs = []
        for b in group:
            here = math.log(b.amount / median)
            history = ratios[b.bidder_id]
            if len(history) > 1:
                devs.append(abs(here - _median_without(history, here)))
        rows[i] = [
            float(np.mean(meets)) if meets else 0.0,
            float(max(meets)) if meets else 0.0,
            float(np.mean(jacc)) if jacc else 0.0,
            float(np.mean([math.log1p(other[p]) for p in people])),
            win_rate,
            float(np.mean(loser_rates)) if loser_rates else 0.0,
            dominance,
            not_lowest,
            float(np.mean(devs)) if devs else 0.0,
        ]
    return rows

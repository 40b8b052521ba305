"""Tender-level features for the classifier, and their normalisation within a market.

A tender's raw features are its seven screens, the sub-group summaries, log(number of bids),
log(mean bid) and the structural screens of :mod:`tenderwatch.screens.structure` (who bids with whom,
who wins; counted over the other tenders of the same file). Raw screen levels differ between markets (milk cartons in cents against building works
in millions; a 2-bid milk market against 12-bid Okinawa works), so a model trained on raw values learns
each market's level, not collusion. Every feature is therefore replaced by its percentile rank within
its market (mid-rank of ties, scaled to (0, 1)): the model learns "less spread than the rest of this
market", which is what transfers to a market it has never seen. When scoring a file, the file is the
market.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tenderwatch.screens.bidsio import Bid
from tenderwatch.screens.compute import SCREENS, SUBGROUP_FEATURES, screens_matrix, subgroup_screens
from tenderwatch.screens.structure import STRUCTURE_FEATURES, structure_rows

FEATURES: tuple[str, ...] = (*SCREENS, *SUBGROUP_FEATURES, "log_n", "log_mean_bid", *STRUCTURE_FEATURES)
PRICE_COUNT = len(SCREENS) + len(SUBGROUP_FEATURES) + 2  # the columns computed from one tender's bids


@dataclass(slots=True)
class TenderTable:
    """One row per tender with at least two bids, in first-seen order of the input."""

    tender_ids: list[str]
    raw: NDArray[np.float64]  # tenders × FEATURES, before normalisation
    labels: NDArray[np.int64] | None  # tender-level label when every bid of every tender has one

    def __len__(self) -> int:
        return len(self.tender_ids)


def tender_table(bids: list[Bid]) -> TenderTable:
    """Group the bids by tender and compute every tender's raw features (tenders with < 2 bids dropped)."""
    amounts: dict[str, list[float]] = defaultdict(list)
    labels: dict[str, set[int | None]] = defaultdict(set)
    for bid in bids:
        amounts[bid.tender_id].append(bid.amount)
        labels[bid.tender_id].add(bid.label)
    ids = [t for t, values in amounts.items() if len(values) >= 2]
    rows = np.zeros((len(ids), len(FEATURES)))
    rows[:, PRICE_COUNT:] = structure_rows(bids, ids)
    for i, tender in enumerate(ids):
        values = np.array(amounts[tender], dtype=np.float64)
        base = screens_matrix(values[None, :])
        sub = subgroup_screens(values)
        row = [float(base[name][0]) for name in SCREENS]
        row += [sub[name] for name in SUBGROUP_FEATURES]
        row += [math.log(len(values)), math.log(float(values.mean()))]
        rows[i, :PRICE_COUNT] = row
    # The label is tender-level. It is used only when every bid carries one; a tender whose bids
    # disagree counts as collusive (any 1 wins), the safe side for a supervisor.
    have_all = all(None not in labels[t] for t in ids)
    tender_labels = (
        np.array([max(v for v in labels[t] if v is not None) for t in ids], dtype=np.int64)
        if have_all
        else None
    )
    return TenderTable(ids, rows, tender_labels)


def percentile_ranks(raw: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each column's mid-rank within the rows, scaled to (0, 1): (rank − 0.5) / n, ties averaged."""
    n = raw.shape[0]
    out = np.empty_like(raw)
    for j in range(raw.shape[1]):
        column = raw[:, j]
        order = np.argsort(column, kind="mergesort")
        sorted_values = column[order]
        # Average rank over runs of equal values, so ties (e.g. KURT = 0 for every 3-bid tender) share one.
        _, first, counts = np.unique(sorted_values, return_index=True, return_counts=True)
        mid = first + (counts + 1) / 2.0  # 1-based mid-rank of each run
        ranks = np.repeat(mid, counts)
        out[order, j] = (ranks - 0.5) / n
    return out

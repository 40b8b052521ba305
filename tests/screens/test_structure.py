"""Structural screens on a hand-worked five-tender market, without the winner column, without real
bidder ids, and the nested selection's contract."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tenderwatch.screens.bidsio import Bid
from tenderwatch.screens.features import FEATURES, PRICE_COUNT, tender_table
from tenderwatch.screens.markets import MARKETS, load_market
from tenderwatch.screens.model import SELECTED
from tenderwatch.screens.selection import forward_select
from tenderwatch.screens.structure import STRUCTURE_FEATURES, structure_rows

# (tender, bidder, amount, winner). A beats B three times out of four; D wins T4 without the lowest bid.
MARKET = [
    ("T1", "A", 100.0, 1), ("T1", "B", 110.0, 0), ("T1", "C", 120.0, 0),
    ("T2", "A", 200.0, 0), ("T2", "B", 190.0, 1),
    ("T3", "A", 50.0, 1), ("T3", "B", 60.0, 0),
    ("T4", "C", 300.0, 0), ("T4", "D", 330.0, 1),
    ("T5", "A", 80.0, 1), ("T5", "B", 90.0, 0),
]  # fmt: skip
TENDERS = ["T1", "T2", "T3", "T4", "T5"]


def _bids(with_winner: bool = True) -> list[Bid]:
    return [Bid(t, b, a, w if with_winner else None, None) for t, b, a, w in MARKET]


def _row(rows: np.ndarray, tender: str) -> dict[str, float]:
    return dict(zip(STRUCTURE_FEATURES, rows[TENDERS.index(tender)].tolist(), strict=True))


def test_hand_worked_tender_with_three_bidders() -> None:
    t1 = _row(structure_rows(_bids(), TENDERS), "T1")
    # Other tenders entered: A 3, B 3, C 1. Pairs met elsewhere: AB 3 (T2, T3, T5), AC 0, BC 0.
    assert t1["pair_meet_mean"] == pytest.approx(1.0)
    assert t1["pair_meet_max"] == 3.0
    # Jaccard over the other tenders: AB 3 / (3 + 3 − 3) = 1, AC and BC 0.
    assert t1["pair_jaccard_mean"] == pytest.approx(1 / 3)
    assert t1["regular_mean"] == pytest.approx((2 * math.log(4) + math.log(2)) / 3)
    # A won T3 and T5 of its three other tenders; the losers B (1 of 3) and C (0 of 1).
    assert t1["winner_win_rate"] == pytest.approx(2 / 3)
    assert t1["loser_win_rate"] == pytest.approx(1 / 6)
    # Elsewhere A beat B twice (T3, T5) and lost to B once (T2); A and C never met again.
    assert t1["winner_dominance"] == pytest.approx(2 / 3)
    assert t1["winner_not_lowest"] == 0.0
    # log(bid / tender median) against the bidder's own median of it in its other tenders:
    # A: ln(10/11) vs median of {ln(40/39), ln(10/11), ln(16/17)} = ln(16/17), gap ln(88/85);
    # B: 0 vs median of {ln(38/39), ln(12/11), ln(18/17)} = ln(18/17); C: ln(12/11) vs ln(20/21).
    devs = [math.log(88 / 85), math.log(18 / 17), math.log(63 / 55)]
    assert t1["bid_dev_own"] == pytest.approx(sum(devs) / 3)


def test_hand_worked_newcomer_winning_above_the_lowest_bid() -> None:
    t4 = _row(structure_rows(_bids(), TENDERS), "T4")
    assert t4["pair_meet_mean"] == t4["pair_meet_max"] == t4["pair_jaccard_mean"] == 0.0
    assert t4["regular_mean"] == pytest.approx(math.log(2) / 2)
    assert t4["winner_win_rate"] == 0.0  # D entered nothing else
    assert t4["loser_win_rate"] == 0.0
    assert t4["winner_dominance"] == 0.5  # no head-to-head elsewhere: neutral
    assert t4["winner_not_lowest"] == 1.0
    assert t4["bid_dev_own"] == pytest.approx(math.log(63 / 55))  # D has no history, only C counts


def test_without_winner_the_lowest_bid_stands_in() -> None:
    rows = structure_rows(_bids(with_winner=False), TENDERS)
    assert np.isfinite(rows).all()
    assert (rows[:, STRUCTURE_FEATURES.index("winner_not_lowest")] == 0).all()
    # T4's winner becomes C, who never won elsewhere; the co-bidding counts do not use the winner.
    t4 = _row(rows, "T4")
    assert t4["winner_win_rate"] == 0.0 and t4["pair_meet_mean"] == 0.0
    np.testing.assert_array_equal(rows[:, :4], structure_rows(_bids(), TENDERS)[:, :4])


def test_bidders_seen_once_carry_no_structure() -> None:
    """The Swiss files have no bidder ids (numbered per tender): every co-bidding feature is constant."""
    bids = [Bid(t, f"{t}-{k}", a, w, None) for k, (t, _, a, w) in enumerate(MARKET)]
    rows = structure_rows(bids, TENDERS)
    columns = [f for f in STRUCTURE_FEATURES if f not in ("winner_dominance", "winner_not_lowest")]
    for name in columns:
        assert (rows[:, STRUCTURE_FEATURES.index(name)] == 0).all(), name
    assert (rows[:, STRUCTURE_FEATURES.index("winner_dominance")] == 0.5).all()


def test_tender_table_carries_the_structural_columns() -> None:
    bids = [Bid(t, b, a, w, 0) for t, b, a, w in MARKET]
    table = tender_table(bids)
    assert table.tender_ids == TENDERS
    assert FEATURES[PRICE_COUNT:] == STRUCTURE_FEATURES
    np.testing.assert_array_equal(table.raw[:, PRICE_COUNT:], structure_rows(bids, TENDERS))


def test_forward_selection_keeps_the_shipped_features_first() -> None:
    tables = {
        m.key: tender_table(load_market(m).bids) for m in MARKETS if m.key in ("brazil", "switzerland_ticino")
    }
    chosen, inner = forward_select(tables)
    assert chosen[: len(SELECTED)] == SELECTED
    assert set(chosen[len(SELECTED) :]) <= set(STRUCTURE_FEATURES)
    assert 0.0 <= inner <= 1.0

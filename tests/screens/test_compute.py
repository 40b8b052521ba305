"""Screen definitions on hand-worked bids, against scipy as an independent reference, and against the
authors' shipped screen columns on a real market."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tenderwatch.screens.compute import (
    SCREENS,
    SUBGROUP_FEATURES,
    screens_matrix,
    section_screens,
    subgroup_screens,
)

BRAZIL = Path(__file__).parent / "data" / "DB_Collusion_Brazil_processed.csv"


def test_two_bids() -> None:
    s = section_screens([100.0, 110.0])
    assert s["cv"] == pytest.approx(math.sqrt(50) / 105)
    assert s["spd"] == pytest.approx(0.1)
    assert s["diffp"] == pytest.approx(0.1)
    # RD needs two losing bids for a spread, KURT four bids, SKEW three: undefined → 0.
    assert (s["rd"], s["kurt"], s["skew"]) == (0.0, 0.0, 0.0)
    # Bids at both ends of [min, max]: the empirical CDF is 1/2 at the lowest, the uniform 0.
    assert s["kstest"] == pytest.approx(0.5)


def test_relative_distance_uses_the_losing_bids_spread() -> None:
    # Gap 10 between the two lowest; losing bids 110, 112, 114 have sd 2.
    assert section_screens([114.0, 100.0, 112.0, 110.0])["rd"] == pytest.approx(5.0)


def test_tie_at_the_lowest_bid() -> None:
    s = section_screens([100.0, 100.0, 110.0, 120.0])
    # DIFFP takes the second *distinct* bid, RD the second bid: a tie is no gap for RD.
    assert s["diffp"] == pytest.approx(0.1)
    assert s["rd"] == 0.0
    # u = 0, 0, 0.5, 1 against steps 1/4 … 1: the largest distance is 0.5 (after the two ties).
    assert s["kstest"] == pytest.approx(0.5)


def test_three_bids_have_skewness_but_no_kurtosis() -> None:
    s = section_screens([1.0, 2.0, 4.0])
    # Hand-worked: m2 = 42/27, m3 = 60/81, g1 = m3 / m2^1.5, G1 = g1 · sqrt(3·2) / 1.
    g1 = (60 / 81) / (42 / 27) ** 1.5
    assert s["skew"] == pytest.approx(g1 * math.sqrt(6))
    assert s["kurt"] == 0.0


def test_equal_bids_give_zero_screens() -> None:
    assert section_screens([0.1, 0.1, 0.1, 0.1, 0.1]) == dict.fromkeys(SCREENS, 0.0)


def test_fewer_than_two_bids_and_bad_amounts() -> None:
    assert section_screens([5.0]) == {}
    with pytest.raises(ValueError):
        section_screens([5.0, -1.0])


@pytest.mark.parametrize("seed", range(5))
def test_moments_and_ks_agree_with_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    bids = rng.lognormal(12, 0.2, size=int(rng.integers(4, 15)))
    s = section_screens(list(bids))
    assert s["skew"] == pytest.approx(stats.skew(bids, bias=False))
    assert s["kurt"] == pytest.approx(stats.kurtosis(bids, bias=False))
    uniform = stats.uniform(bids.min(), bids.max() - bids.min())
    assert s["kstest"] == pytest.approx(stats.kstest(bids, uniform.cdf).statistic)
    assert s["cv"] == pytest.approx(np.std(bids, ddof=1) / np.mean(bids))


def test_matrix_rows_are_independent_groups() -> None:
    groups = np.array([[100.0, 110.0, 130.0], [5.0, 5.0, 6.0]])
    rows = screens_matrix(groups)
    for i in range(2):
        single = section_screens(list(groups[i]))
        assert {name: float(rows[name][i]) for name in SCREENS} == pytest.approx(single)


def test_subgroup_summaries() -> None:
    bids = np.array([100.0, 101.0, 120.0, 150.0])
    sub = subgroup_screens(bids)
    assert set(sub) == set(SUBGROUP_FEATURES)
    # Four 3-bid groups and the one 4-bid group.
    groups = [[100, 101, 120], [100, 101, 150], [100, 120, 150], [101, 120, 150], [100, 101, 120, 150]]
    cvs = [section_screens([float(x) for x in g])["cv"] for g in groups]
    assert sub["sub_cv_min"] == pytest.approx(min(cvs))
    assert sub["sub_cv_max"] == pytest.approx(max(cvs))
    assert sub["sub_cv_mean"] == pytest.approx(float(np.mean(cvs)))
    assert sub["sub_cv_median"] == pytest.approx(float(np.median(cvs)))


def test_subgroups_of_a_two_bid_tender_are_the_tender() -> None:
    sub = subgroup_screens(np.array([100.0, 110.0]))
    whole = section_screens([100.0, 110.0])
    assert sub["sub_spd_max"] == pytest.approx(whole["spd"]) == pytest.approx(sub["sub_spd_min"])


def test_shipped_columns_agree_on_brazil() -> None:
    """CV, SPD, KURT, SKEW and KSTEST reproduce the authors' columns (rounded to 4 places); their RD
    uses another denominator and is not compared (ABOUT.md)."""
    bids: dict[str, list[float]] = defaultdict(list)
    shipped: dict[str, dict[str, float]] = {}
    with BRAZIL.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            bids[row["Tender"]].append(float(row["Bid_value"]))
            shipped[row["Tender"]] = {
                s: float(row[s.upper()]) for s in ("cv", "spd", "kurt", "skew", "kstest")
            }
    assert len(bids) == 101
    for tender, values in bids.items():
        ours = section_screens(values)
        for name, theirs in shipped[tender].items():
            assert ours[name] == pytest.approx(theirs, abs=6e-5), (tender, name)

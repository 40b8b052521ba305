"""The SQL screens (DuckDB) equal the numpy definitions on the same bids."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import numpy as np
import pytest

from tenderwatch.screens.compute import SCREENS, section_screens
from tenderwatch.screens.markets import MARKETS, load_market
from tenderwatch.screens.sql import screens_ctes


def _sql_screens(rows: list[tuple[str, float | None]]) -> dict[str, dict[str, float]]:
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE b (section_code VARCHAR, price DOUBLE)")
        con.executemany("INSERT INTO b VALUES (?, ?)", rows)
        result = con.execute(f"WITH {screens_ctes('b')} SELECT * FROM scr").fetchall()
    finally:
        con.close()
    return {r[0]: dict(zip(("n", *SCREENS), r[1:], strict=True)) for r in result}


def _compare(rows: list[tuple[str, float | None]]) -> int:
    grouped: dict[str, list[float]] = defaultdict(list)
    for section, price in rows:
        if price is not None and price > 0:
            grouped[section].append(price)
    sql = _sql_screens(rows)
    compared = 0
    for section, prices in grouped.items():
        assert sql[section]["n"] == len(prices)
        if len(prices) < 2:
            continue
        ours = section_screens(prices)
        for name in SCREENS:
            assert sql[section][name] == pytest.approx(ours[name], rel=1e-9, abs=1e-9), (section, name)
        compared += 1
    return compared


def test_hand_cases() -> None:
    rows: list[tuple[str, float | None]] = [
        ("two", 100.0), ("two", 110.0),
        ("tie", 100.0), ("tie", 100.0), ("tie", 110.0), ("tie", 120.0),
        ("equal", 0.1), ("equal", 0.1), ("equal", 0.1), ("equal", 0.1),
        ("rd", 114.0), ("rd", 100.0), ("rd", 112.0), ("rd", 110.0),
        ("losing_equal", 100.0), ("losing_equal", 105.0), ("losing_equal", 105.0),
        ("with_null", 100.0), ("with_null", None), ("with_null", 130.0), ("with_null", 90.0),
        ("single", 5.0),
    ]  # fmt: skip
    assert _compare(rows) == 6


def test_random_million_scale_prices() -> None:
    rng = np.random.default_rng(7)
    rows: list[tuple[str, float | None]] = []
    for s in range(200):
        n = int(rng.integers(2, 16))
        # Prices in the millions with a small spread: where sums of squares would cancel.
        base = float(rng.uniform(1e6, 5e7))
        rows += [(f"S{s}", round(base * (1 + float(x)), 2)) for x in rng.normal(0, 0.002, n)]
    assert _compare(rows) == 200


def test_a_real_market() -> None:
    japan = next(m for m in MARKETS if m.key == "japan")
    rows: list[tuple[str, float | None]] = [(b.tender_id, b.amount) for b in load_market(japan).bids]
    assert _compare(rows) == 1080

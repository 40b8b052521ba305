"""The 综合态势 screen's requests for `tenderwatch bench pages` (``bench/pages.py`` times them).

A synthetic province's dates end when its generator says, not today; the screen is asked about days
going back from the latest announced section, so its figures are the province's, not zeros. Every
request names a different day, hence a different filter: none is served from the snapshot cache, so the
timings are those of a screen recomputed after a commit (the worst case), not of a cache hit.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

PERIODS = ("year", "month", "today")


def latest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute("SELECT max(CAST(announce_time AS DATE)) FROM sections").fetchone()
    return row[0] if row and isinstance(row[0], date) else None


def situation_paths(
    con: duckdb.DuckDBPyConnection, n: int, _seed: int, prefix: str = "/situation", skip: int = 0
) -> list[str]:
    """``n`` requests, each about another day before the latest section, the periods in turn."""
    latest = latest_day(con) or date.today()
    return [
        f"{prefix}?period={PERIODS[i % len(PERIODS)]}&date={(latest - timedelta(days=i)).isoformat()}"
        for i in range(skip, skip + n)
    ]


def api_paths(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> list[str]:
    # Other days than the page's, so the API is not answered from the page's cached snapshots.
    return situation_paths(con, n, seed, prefix="/api/v1/situation", skip=n)


LIST_KINDS = ("bids", "sections", "awards", "projects", "open_warnings", "warnings")


def list_paths(con: duckdb.DuckDBPyConnection, n: int, _seed: int) -> list[str]:
    """The drill-down lists behind the year's numbers, the kinds in turn, each about another day."""
    latest = latest_day(con) or date.today()
    return [
        f"/situation/list?kind={LIST_KINDS[i % len(LIST_KINDS)]}&period=year"
        f"&date={(latest - timedelta(days=i)).isoformat()}"
        for i in range(n)
    ]

"""A warm lake: every dataset's current view held as a table in one long-lived in-process DuckDB.

The cold path (``views.connect``) defines the current view as a window over every Parquet file of a
dataset, so each query that touches ``social_insurance`` or ``bids`` re-reads and re-ranks the whole
market. That is right for a nightly run and far too slow for the real-time path, where one opened
section must be answered within a second (measured on the small province: the opening's 18 models take
1.2–1.7 s on the cold views and 0.4–0.5 s on these tables).

``sync`` brings the tables to a given list of committed batches, and only does the work the change
needs:

- batches added with ids above every kept batch (every import and push) are ranked among themselves,
  their keys replace the table's rows, and they are appended;
- batches removed (a rollback, or the push batches a compaction replaced) take their rows out; a key
  whose current version left with them and that no added batch brings back gets its next-latest
  version from the kept batches (a rollback), which needs only the files of that dataset;
- anything else (a batch committed out of id order) rebuilds that dataset's table.

So the table always equals the cold current view of the same batches (``tests/push/test_warm_lake.py``
compares them after every kind of change). Readers get a cursor in its own transaction: a detection
sees one state of the lake from its first query to its last while ``sync`` applies later batches.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tenderwatch.catalog.schemas import Catalog, Dataset
from tenderwatch.lake.derived import derived_from
from tenderwatch.lake.views import LakeBatch, current_sql, history_sql, quote

# Tables kept in this order when built: a section's models look up its few persons among the market's
# insurance months and certificates (C08, C19, C20) and its paragraphs among the market's (C12), and in
# this order DuckDB skips the row groups that cannot hold them (min/max per group, and the join's keys
# pushed into the scan): C08 and C19 go from 0.4 s to 0.1 s a section on the province scale. Rows
# applied later are appended; a rebuild re-sorts.
CLUSTER: dict[str, tuple[str, ...]] = {
    "social_insurance": ("person_id",),
    "certificates": ("person_id",),
    "bid_document_paragraphs": ("h",),
}


def _ordered(batches: dict[int, LakeBatch]) -> list[LakeBatch]:
    return [batches[i] for i in sorted(batches)]


def _history_view(con: duckdb.DuckDBPyConnection, dataset: Dataset, batches: dict[int, LakeBatch]) -> None:
    """The dataset's full history stays a view over its files; only the current rows are tables."""
    con.execute(
        f"CREATE OR REPLACE VIEW {quote(dataset.id + '__history')} AS {history_sql(dataset, _ordered(batches))}"
    )


def _order_by(relation: str) -> str:
    columns = CLUSTER.get(relation)
    return f" ORDER BY {', '.join(quote(c) for c in columns)}" if columns else ""


@dataclass(slots=True)
class SyncReport:
    """What one ``sync`` did, per dataset (for the benchmark and the tests)."""

    built: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    restored: dict[str, int] = field(default_factory=dict)  # keys given back their older version
    seconds: float = 0.0


class WarmLake:
    def __init__(self, catalog: Catalog, memory_limit: str = "4GB", threads: int = 2) -> None:
        self._config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "threads": threads,
            "temp_directory": str(Path(tempfile.gettempdir()) / "tenderwatch-duckdb"),
        }
        # Opened by the first sync: an app that never runs the real-time path holds no database.
        self._db: duckdb.DuckDBPyConnection | None = None
        self._catalog = catalog
        self._applied: dict[str, dict[int, LakeBatch]] = {}
        self._lock = threading.Lock()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        if self._db is None:
            self._db = duckdb.connect(config=self._config)
        return self._db

    def sync(self, read: Callable[[], Iterable[LakeBatch]]) -> SyncReport:
        """Bring the tables to the committed batches ``read`` returns. It is called under this lake's
        lock, so a list read later is applied later: two threads syncing at once can never take the
        tables back to the older of their two lists."""
        report = SyncReport()
        started = time.perf_counter()
        with self._lock:
            by_dataset: dict[str, dict[int, LakeBatch]] = {}
            for batch in read():
                by_dataset.setdefault(batch.dataset, {})[batch.batch_id] = batch
            for dataset in self._catalog.datasets:
                want = by_dataset.get(dataset.id, {})
                have = self._applied.get(dataset.id)
                if have is not None and want.keys() == have.keys():
                    continue
                if have is None or not self._apply(dataset, have, want, report):
                    self._build(dataset, want)
                    report.built.append(dataset.id)
                self._applied[dataset.id] = dict(want)
        report.seconds = time.perf_counter() - started
        return report

    def cursors(self, count: int) -> list[duckdb.DuckDBPyConnection]:
        """Connections to the warm tables, each in its own read transaction, all on the same state of
        the lake (made under the lock, so no sync comes between them). Close each when done."""
        opened = []
        with self._lock:
            tables = list(self._applied)
            for _ in range(count):
                cursor = self._con.cursor()
                cursor.execute("BEGIN TRANSACTION")
                if tables:
                    # DuckDB fixes a transaction's snapshot at its first read of a table, not at BEGIN.
                    cursor.execute(f"SELECT count(*) FROM {quote(tables[0])}").fetchall()
                opened.append(cursor)
        return opened

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """One connection to the warm tables in its own read transaction (close it when done)."""
        return self.cursors(1)[0]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            self._applied.clear()

    def _build(self, dataset: Dataset, want: dict[int, LakeBatch]) -> None:
        table = quote(dataset.id)
        con = self._con.cursor()
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(
                f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM ({current_sql(dataset, _ordered(want))})"
                + _order_by(dataset.id)
            )
            for derived in derived_from(dataset.id):
                con.execute(
                    f"CREATE OR REPLACE TABLE {quote(derived.name)} AS SELECT * FROM ({derived.sql(table)})"
                    + _order_by(derived.name)
                )
            _history_view(con, dataset, want)
            con.execute("COMMIT")
        finally:
            con.close()

    def _apply(
        self, dataset: Dataset, have: dict[int, LakeBatch], want: dict[int, LakeBatch], report: SyncReport
    ) -> bool:
        """Apply the difference in place; False when it cannot be (the caller rebuilds)."""
        kept = sorted(i for i in want if i in have)
        added = sorted(i for i in want if i not in have)
        removed = sorted(i for i in have if i not in want)
        if added and kept and added[0] < kept[-1]:
            return False  # an older batch arrived late: its versions may lose to kept ones
        table = quote(dataset.id)
        keys = [quote(k) for k in dataset.key]
        matches = " AND ".join(f"t.{k} IS NOT DISTINCT FROM f.{k}" for k in keys)
        con = self._con.cursor()
        try:
            con.execute("BEGIN TRANSACTION")
            if added:
                fresh = current_sql(dataset, [want[i] for i in added])
                con.execute(f"CREATE TEMP TABLE _fresh AS {fresh}")
            if removed:
                ids = ", ".join(str(i) for i in removed)
                con.execute(
                    f"CREATE TEMP TABLE _gone AS SELECT {', '.join(keys)} FROM {table} WHERE _batch_id IN ({ids})"
                )
                con.execute(f"DELETE FROM {table} WHERE _batch_id IN ({ids})")
            derived = derived_from(dataset.id)
            if derived:
                # The keys whose current row changes: their derived rows are made again at the end.
                sources = (["_fresh"] if added else []) + (["_gone"] if removed else [])
                union = " UNION ".join(f"SELECT {', '.join(keys)} FROM {src}" for src in sources)
                con.execute(f"CREATE TEMP TABLE _touched AS {union}")
            if added:
                con.execute(f"DELETE FROM {table} t USING _fresh f WHERE {matches}")
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _fresh")
            if removed:
                if added:
                    con.execute(f"DELETE FROM _gone t USING _fresh f WHERE {matches}")
                (missing,) = con.execute("SELECT count(*) FROM _gone").fetchone() or (0,)
                if missing and kept:
                    older = current_sql(dataset, [want[i] for i in kept])
                    con.execute(
                        f"INSERT INTO {table} BY NAME SELECT t.* FROM ({older}) t "
                        f"SEMI JOIN _gone f ON {matches}"
                    )
                    report.restored[dataset.id] = int(missing)
            for item in derived:
                rows = f"(SELECT t.* FROM {table} t SEMI JOIN _touched f ON {matches}) AS _src"
                con.execute(f"DELETE FROM {quote(item.name)} t USING _touched f WHERE {matches}")
                con.execute(f"INSERT INTO {quote(item.name)} BY NAME {item.sql(rows)}")
            _history_view(con, dataset, want)
            con.execute("COMMIT")
        finally:
            con.close()  # temp tables go with the cursor; an uncommitted transaction rolls back
        report.applied.append(dataset.id)
        return True

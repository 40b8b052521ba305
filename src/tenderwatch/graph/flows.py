"""Building the correlation graph from the lake, once per lake state.

The graph is cached under the set of committed batches it was built from: a new import or a rollback
changes that set, and the next request rebuilds; until then every request shares one graph.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.graph.edges import LABEL_QUERIES, edges_sql
from tenderwatch.graph.service import BidGroup, Edge, Graph, connected_groups
from tenderwatch.ingest import service as ingest_service
from tenderwatch.lake.views import LakeBatch, connect

_lock = threading.Lock()
_cache: dict[tuple[str, tuple[int, ...]], tuple[Graph, dict[int, list[BidGroup]]]] = {}


@dataclass(frozen=True, slots=True)
class LakeState:
    batches: list[LakeBatch]

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(sorted(b.batch_id for b in self.batches))


def lake_state(db: Database) -> LakeState:
    with db.session() as session:
        return LakeState(
            ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
        )


def open_lake(db: Database, state: LakeState | None = None) -> duckdb.DuckDBPyConnection:
    state = state or lake_state(db)
    return connect(get_catalog(), state.batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)


def build_graph(con: duckdb.DuckDBPyConnection) -> Graph:
    rows = con.execute(edges_sql()).fetchall()
    edges = [
        Edge(str(src), str(dst), str(rel), None if detail is None else str(detail), int(n), str(ds), str(key))
        for src, dst, rel, detail, n, ds, key in rows
    ]
    # Sorted so the same lake always gives the same graph (and the same neighbourhood under a cap).
    edges.sort(key=lambda e: (e.src, e.dst, e.relation))
    labels: dict[str, str] = {}
    for query in LABEL_QUERIES:
        for node, label in con.execute(query).fetchall():
            labels.setdefault(str(node), str(label))
    return Graph(edges, labels)


COBID_SQL = """
WITH b AS (SELECT DISTINCT section_code, bidder_uscc FROM bids
           WHERE section_code IS NOT NULL AND bidder_uscc IS NOT NULL)
SELECT x.bidder_uscc AS a, y.bidder_uscc AS b, count(*) AS shared
FROM b x JOIN b y ON x.section_code = y.section_code AND x.bidder_uscc < y.bidder_uscc
GROUP BY 1, 2 HAVING count(*) >= ?
"""


def cobidding_groups(con: duckdb.DuckDBPyConnection, min_sections: int) -> list[BidGroup]:
    """Companies that bid together in at least ``min_sections`` sections, joined into groups."""
    pairs = [(str(a), str(b), int(n)) for a, b, n in con.execute(COBID_SQL, [min_sections]).fetchall()]
    return connected_groups(pairs)


def _cache_key(db: Database, state: LakeState) -> tuple[str, tuple[int, ...]]:
    return (str(db.settings.lake_dir), state.key)


def get_graph(db: Database) -> Graph:
    state = lake_state(db)
    key = _cache_key(db, state)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached[0]
        con = open_lake(db, state)
        try:
            graph = build_graph(con)
        finally:
            con.close()
        # Keep one graph per lake directory: the old lake state is of no further use.
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = (graph, {})
        return graph


def get_groups(db: Database, min_sections: int) -> list[BidGroup]:
    state = lake_state(db)
    key = _cache_key(db, state)
    with _lock:
        entry = _cache.get(key)
        if entry is not None and min_sections in entry[1]:
            return entry[1][min_sections]
    con = open_lake(db, state)
    try:
        groups = cobidding_groups(con, min_sections)
    finally:
        con.close()
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            entry[1][min_sections] = groups
    return groups

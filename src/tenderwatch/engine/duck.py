"""The DuckDB backend: the lake's views in an in-process database."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


class DuckBackend:
    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def define_scope(self, predicate: str) -> None:
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW sections_in_scope AS SELECT * FROM sections WHERE {predicate}"
        )

    def rows(self, sql: str) -> Sequence[Sequence[object]]:
        return self.con.execute(sql).fetchall()

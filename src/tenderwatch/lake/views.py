"""Reading the lake with DuckDB: each dataset's current view and its full history.

``current`` is the latest version of each key: the record from the highest committed batch, and
within a batch the last line. ``history`` keeps every version with its batch id, for lineage and
for evaluating "as of" a date.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from tenderwatch.catalog.schemas import Catalog, Dataset
from tenderwatch.lake.derived import derived_from

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "month": "VARCHAR",
    "int": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "float": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True, slots=True)
class LakeBatch:
    batch_id: int
    dataset: str
    path: Path  # the batch folder


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(dataset: Dataset) -> str:
    return ", ".join(quote(f.name) for f in dataset.fields)


def _empty_select(dataset: Dataset, extra: str) -> str:
    cols = ", ".join(f"CAST(NULL AS {DUCKDB_TYPES[f.type]}) AS {quote(f.name)}" for f in dataset.fields)
    return f"SELECT {cols}, {extra} WHERE false"


def history_sql(dataset: Dataset, batches: list[LakeBatch]) -> str:
    if not batches:
        return _empty_select(dataset, "CAST(NULL AS BIGINT) AS _batch_id, CAST(NULL AS BIGINT) AS _line")
    parts = [
        f"SELECT {_columns(dataset)}, CAST({b.batch_id} AS BIGINT) AS _batch_id, _line "
        f"FROM read_parquet({literal(str(b.path / 'data.parquet'))})"
        for b in batches
    ]
    return "\nUNION ALL BY NAME\n".join(parts)


def current_sql(dataset: Dataset, batches: list[LakeBatch]) -> str:
    keys = ", ".join(quote(k) for k in dataset.key)
    return (
        f"SELECT * EXCLUDE (_rn) FROM (SELECT *, row_number() OVER (PARTITION BY {keys} "
        f"ORDER BY _batch_id DESC, _line DESC) AS _rn FROM ({history_sql(dataset, batches)})) WHERE _rn = 1"
    )


def connect(
    catalog: Catalog, batches: Iterable[LakeBatch], memory_limit: str = "4GB", threads: int = 2
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with views ``<dataset>`` (current), ``<dataset>__history`` and the derived
    relations of each dataset (``lake/derived.py``)."""
    # Spill files go to the system temp folder, not to ".tmp" in whatever folder the process started in.
    spill = Path(tempfile.gettempdir()) / "tenderwatch-duckdb"
    con = duckdb.connect(
        config={"memory_limit": memory_limit, "threads": threads, "temp_directory": str(spill)}
    )
    by_dataset: dict[str, list[LakeBatch]] = {}
    for batch in batches:
        by_dataset.setdefault(batch.dataset, []).append(batch)
    for dataset in catalog.datasets:
        own = sorted(by_dataset.get(dataset.id, []), key=lambda b: b.batch_id)
        con.execute(f"CREATE VIEW {quote(dataset.id + '__history')} AS {history_sql(dataset, own)}")
        con.execute(f"CREATE VIEW {quote(dataset.id)} AS {current_sql(dataset, own)}")
        for derived in derived_from(dataset.id):
            con.execute(f"CREATE VIEW {quote(derived.name)} AS {derived.sql(quote(dataset.id))}")
    return con


def distinct_keys(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, as_names: tuple[str, ...], *, current: bool = False
) -> pl.DataFrame:
    """The key tuples present in a dataset's current view, as strings, renamed to ``as_names``.
    ``current``: read the current relation itself (a table on a warm lake) rather than the history."""
    select = ", ".join(
        f"CAST({quote(k)} AS VARCHAR) AS {quote(n)}" for k, n in zip(dataset.key, as_names, strict=True)
    )
    # Every version carries the same key set as the current view, and the history needs no window.
    source = quote(dataset.id if current else dataset.id + "__history")
    frame: pl.DataFrame = con.sql(f"SELECT DISTINCT {select} FROM {source}").pl()
    return frame

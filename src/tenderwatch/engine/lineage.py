"""Lineage of evidence: the import batch each evidence record came from.

Models name a record by dataset and key (the catalogue key fields joined by ``|``); this adds the
batch of the record's current version, so a verifier can open the delivery the value came from.
Keys that do not split into the dataset's key fields are left without a batch.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from tenderwatch.catalog import get_catalog
from tenderwatch.engine.base import Hit


def attach_batches(con: duckdb.DuckDBPyConnection, hits: Iterable[Hit]) -> None:
    catalog = get_catalog()
    items = [e for h in hits for e in h.evidence]
    wanted: dict[str, set[str]] = {}
    for item in items:
        if catalog.has(item.dataset):
            wanted.setdefault(item.dataset, set()).add(item.record_key)
    found: dict[tuple[str, str], int] = {}
    for dataset_id, keys in wanted.items():
        dataset = catalog.dataset(dataset_id)
        width = len(dataset.key)
        parts = [k.split("|") for k in keys]
        usable = [p for p in parts if len(p) == width]
        if not usable:
            continue
        frame = pl.DataFrame({f"k{i}": [p[i] for p in usable] for i in range(width)})
        con.register("_wanted_keys", frame)
        try:
            on = " AND ".join(f'CAST(d."{k}" AS VARCHAR) = w.k{i}' for i, k in enumerate(dataset.key))
            select = " || '|' || ".join(f"w.k{i}" for i in range(width))
            rows = con.execute(
                f'SELECT {select}, d._batch_id FROM "{dataset_id}" d JOIN _wanted_keys w ON {on}'
            ).fetchall()
        finally:
            con.unregister("_wanted_keys")
        found.update({(dataset_id, str(key)): int(batch) for key, batch in rows})
    for item in items:
        item.batch = found.get((item.dataset, item.record_key))

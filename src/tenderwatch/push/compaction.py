"""Compaction: a dataset's run of small push batches merged into one, so the views stay short.

Each push request adds a batch per dataset it touches; a view is a union over its dataset's batches,
so thousands of small batches make every query (validation's reference look-ups, the real-time models)
plan and open thousands of files. When a dataset has more than ``push_compact_after`` push batches after
its last batch of any other source, those batches are rewritten as one, in order, and the originals
are marked ``compacted``: their files and their rejects stay (lineage and the quarantine's counts), the
views read the new batch instead.

Correctness of the current view: the new batch's id is higher than every batch it replaces and no other
batch of the dataset lies between them (the run ends at the dataset's newest batch, under the lake lock),
and the lines are renumbered in (batch, line) order, so "highest batch, then last line" picks the same
version of each key as before.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import polars as pl
from sqlalchemy import select

from tenderwatch.db import Database
from tenderwatch.ingest.models import Batch
from tenderwatch.lake import store

PUSH_SOURCE = "push"


def compact(db: Database, dataset: str, threshold: int) -> int | None:
    """Merge the dataset's trailing run of push batches if it is longer than ``threshold``.

    Call under the lake lock. Returns the new batch id, or None when there was nothing to do.
    """
    with db.session() as session:
        rows = session.execute(
            select(Batch.id, Batch.source, Batch.lake_path)
            .where(Batch.dataset == dataset, Batch.status == "committed", Batch.lake_path.is_not(None))
            .order_by(Batch.id.desc())
        ).all()
    run: list[tuple[int, str]] = []
    for batch_id, source, path in rows:
        if source != PUSH_SOURCE:
            break
        run.append((batch_id, str(path)))
    if len(run) <= threshold:
        return None
    run.reverse()
    lake_dir = db.settings.lake_dir
    frames = [pl.read_parquet(lake_dir / path / "data.parquet") for _, path in run]
    merged = pl.concat(frames, how="vertical_relaxed").with_columns(
        _line=pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    )
    ids = [batch_id for batch_id, _ in run]
    with tempfile.TemporaryDirectory(prefix="tenderwatch-compact-") as scratch:
        name = f"compaction-{dataset}-{ids[0]}-{ids[-1]}.json"
        manifest = Path(scratch) / name
        manifest.write_text(json.dumps({"dataset": dataset, "batches": ids}), encoding="utf-8")
        staged = store.stage(lake_dir, dataset, merged, manifest, name)
        size = manifest.stat().st_size
    try:
        with db.transaction() as session:
            batch = Batch(
                dataset=dataset,
                file_name=name,
                file_format="push-compacted",
                encoding="utf-8",
                sha256=f"compaction:{ids[0]}-{ids[-1]}",
                size_bytes=size,
                source=PUSH_SOURCE,
                uploaded_by=None,
                unknown_columns=[],
                received=merged.height,
                accepted=merged.height,
                rejected=0,
                lake_path=staged.relative_path,
            )
            session.add(batch)
            for old in session.scalars(select(Batch).where(Batch.id.in_(ids))):
                old.status = "compacted"
            session.flush()
            store.publish(staged)
            new_id = batch.id
    except BaseException:
        store.discard(staged)
        raise
    return new_id

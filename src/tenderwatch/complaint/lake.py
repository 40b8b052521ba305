"""Whether a section code is in the lake's committed ``sections`` batches (None: no sections loaded).

A complaint may be about a project the platform has not ingested yet, so with no sections at all the
code is kept as the complainant wrote it; with sections loaded, an unknown code is refused as a typo.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from tenderwatch.config import Settings
from tenderwatch.ingest.service import committed_lake_batches


def known_section(db_session: Session, settings: Settings, code: str) -> bool | None:
    paths = [
        str(b.path / "data.parquet")
        for b in committed_lake_batches(db_session=db_session, lake_dir=settings.lake_dir)
        if b.dataset == "sections" and (b.path / "data.parquet").exists()
    ]
    if not paths:
        return None
    found = pl.scan_parquet(paths).filter(pl.col("section_code") == code.strip()).select(pl.len()).collect()
    return int(found.item()) > 0

"""Detection fixtures: the tiny synthetic province imported once per test session, and lakes built
from a few hand-written records for fixture tests of single models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.ingest import service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.lake.views import LakeBatch, connect
from tenderwatch.synth import generate


@dataclass
class Province:
    settings: Settings
    db: Database
    truth: dict[str, Any]
    batches: list[LakeBatch]

    def duck(self) -> DuckBackend:
        return DuckBackend(connect(get_catalog(), self.batches))

    def con(self) -> duckdb.DuckDBPyConnection:
        return connect(get_catalog(), self.batches)


def build_province(root: Path, scale: str = "tiny", seed: int = 1) -> Province:
    out = root / "synth"
    generate(scale, seed, out)
    settings = Settings(data_dir=root / "var")
    db = Database(settings)
    db.upgrade()
    results = ingest_paths(db, [out])
    assert sum(r.rejected for r in results) == 0, "the synthetic province must import without rejects"
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=settings.lake_dir)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return Province(settings, db, truth, batches)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return build_province(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from tenderwatch.engine.spark import spark_session

    session = spark_session("tenderwatch-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def lake_from_csv(root: Path, files: dict[str, str]) -> DuckBackend:
    """A lake holding exactly the given records (dataset id → CSV text), imported the normal way."""
    folder = root / "delivery"
    folder.mkdir(parents=True, exist_ok=True)
    for dataset, text in files.items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    db = Database(Settings(data_dir=root / "var"))
    db.upgrade()
    results = ingest_paths(db, [folder])
    problems = [(r.file_name, r.rejected) for r in results if r.rejected or r.status != "committed"]
    assert not problems, f"fixture records were rejected: {problems}"
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    db.dispose()
    return DuckBackend(connect(get_catalog(), batches))

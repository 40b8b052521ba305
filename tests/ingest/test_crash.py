"""A crash at any moment of an import leaves no half batch, and the rerun completes.

Two deterministic crash points (after the lake files are staged; after they are published but before
the database commits) and real ``kill -9`` at random moments of a large import.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from tenderwatch.common.identifiers import make_uscc
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.ingest.models import Batch
from tests.helpers import PROJECTS, SECTIONS, run_cli, write


def _assert_consistent(settings: Settings) -> list[Batch]:
    """Every batch the database knows is whole on disk and reconciles; nothing else is visible."""
    db = Database(settings)
    try:
        with db.session() as session:
            batches = service.get_all_batches(db_session=session, limit=1000)
            for batch in batches:
                assert batch.received == batch.accepted + batch.rejected
                assert service.count_rejects(db_session=session, batch_id=batch.id) == batch.rejected
                if batch.accepted:
                    assert batch.lake_path is not None
                    data = settings.lake_dir / batch.lake_path / "data.parquet"
                    assert pl.scan_parquet(data).select(pl.len()).collect().item() == batch.accepted
                    assert (settings.lake_dir / batch.lake_path / "raw" / batch.file_name).is_file()
        return batches
    finally:
        db.dispose()


@pytest.mark.parametrize("point", ["after_stage", "after_publish"])
def test_crash_points_leave_nothing_and_rerun_completes(
    settings: Settings, tmp_path: Path, point: str
) -> None:
    url = settings.database_url
    projects = write(tmp_path / "tender_projects.csv", PROJECTS)
    sections = write(tmp_path / "sections.csv", SECTIONS)
    assert run_cli(["ingest", str(projects)], settings.data_dir, database_url=url).returncode == 0

    crashed = run_cli(["ingest", str(sections)], settings.data_dir, {"TENDERWATCH_FAULT": point}, url)
    assert crashed.returncode == 137
    batches = _assert_consistent(settings)
    assert [b.dataset for b in batches] == ["tender_projects"]
    leftovers = list((settings.lake_dir / "_staging").glob("*")) + list(
        (settings.lake_dir / "sections").glob("*")
    )
    assert leftovers, "the crash should have left uncommitted files behind for this test to mean anything"

    rerun = run_cli(["ingest", str(sections)], settings.data_dir, database_url=url)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    batches = _assert_consistent(settings)
    assert sorted(b.dataset for b in batches) == ["sections", "tender_projects"]
    assert list((settings.lake_dir / "_staging").glob("*")) == []
    assert len(list((settings.lake_dir / "sections").glob("*"))) == 1


@pytest.mark.slow
def test_kill_at_random_moments_of_a_large_import(sqlite_settings: Settings, tmp_path: Path) -> None:
    rng = random.Random(7)
    write(tmp_path / "tender_projects.csv", PROJECTS)
    write(tmp_path / "sections.csv", SECTIONS)
    assert (
        run_cli(
            ["ingest", str(tmp_path / "tender_projects.csv"), str(tmp_path / "sections.csv")],
            sqlite_settings.data_dir,
        ).returncode
        == 0
    )
    companies = [make_uscc("330106", rng) for _ in range(2000)]
    lines = ["section_code,bidder_uscc,bidder_name,bid_price,submit_time"]
    for i in range(300_000):
        lines.append(f"S{1 + i % 2},{companies[i % 2000]},公司{i},{900000 + i},2024-01-20 10:{i % 60:02d}:00")
    big = write(tmp_path / "bids.csv", "\n".join(lines) + "\n")
    env = {**os.environ, "TENDERWATCH_DATA_DIR": str(sqlite_settings.data_dir)}
    env.pop("TENDERWATCH_DATABASE_URL", None)
    for delay in (0.5, 1.5, 3.0, rng.uniform(0.2, 4.0)):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tenderwatch.cli", "ingest", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        batches = [b for b in _assert_consistent(sqlite_settings) if b.dataset == "bids"]
        assert len(batches) <= 1  # either nothing, or (if it finished before the kill) the whole batch
    final = run_cli(["ingest", str(big)], sqlite_settings.data_dir)
    assert final.returncode == 0
    bids = [b for b in _assert_consistent(sqlite_settings) if b.dataset == "bids"]
    assert len(bids) == 1
    assert bids[0].received == 300_000

"""Import end to end on both database backends: batches, rejects, duplicates, rollback, the lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.ingest import service
from tenderwatch.ingest.flows import expand_paths, ingest_file, ingest_paths
from tenderwatch.lake.views import connect
from tests.helpers import PROJECTS, SECTIONS, USCC, write


def _current(db: Database, dataset: str) -> list[dict[str, object]]:
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(get_catalog(), batches)
    try:
        return con.sql(f'SELECT * FROM "{dataset}" ORDER BY ALL').pl().to_dicts()
    finally:
        con.close()


def _bids(*rows: str) -> str:
    return "section_code,bidder_uscc,bidder_name,bid_price,submit_time\n" + "".join(r + "\n" for r in rows)


def test_import_reconciles_and_lands_in_the_lake(db: Database, tmp_path: Path) -> None:
    write(tmp_path / "tender_projects.csv", PROJECTS)
    write(tmp_path / "sections.csv", SECTIONS)
    write(
        tmp_path / "bids.csv",
        _bids(
            f"S1,{USCC[1]},甲公司,950000,2024-01-20 10:00:00",
            f"S1,{USCC[2]},乙公司,abc,2024-01-20 10:00:00",
            f"S7,{USCC[3]},丙公司,900000,2024-01-20 10:00:00",
        ),
    )
    results = ingest_paths(db, [tmp_path])
    assert [r.dataset for r in results] == ["tender_projects", "sections", "bids"]  # catalogue order
    bids = results[-1]
    assert (bids.status, bids.received, bids.accepted, bids.rejected) == ("committed", 3, 1, 2)
    assert bids.received == bids.accepted + bids.rejected
    with db.session() as session:
        assert bids.batch_id is not None
        rejects = service.get_rejects(db_session=session, batch_id=bids.batch_id)
        assert [(r.line, r.code) for r in rejects] == [(3, "not_decimal"), (4, "unknown_reference")]
        assert service.count_batches(db_session=session) == 3
    assert [r["bidder_uscc"] for r in _current(db, "bids")] == [USCC[1]]


def test_same_file_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "tender_projects.csv", PROJECTS)
    first = ingest_file(db, path)
    copy = write(tmp_path / "projects-again.csv", PROJECTS)
    second = ingest_file(db, copy, dataset="tender_projects")
    assert second.status == "duplicate" and second.duplicate_of == first.batch_id
    with db.session() as session:
        assert service.count_batches(db_session=session) == 1
    assert len(_current(db, "tender_projects")) == 1


def test_newer_batch_wins_per_key_and_rollback_restores(db: Database, tmp_path: Path) -> None:
    ingest_file(db, write(tmp_path / "tender_projects.csv", PROJECTS))
    ingest_file(db, write(tmp_path / "sections.csv", SECTIONS))
    updated = SECTIONS.splitlines()[0] + "\n" + SECTIONS.splitlines()[1].replace("1000000", "1200000") + "\n"
    second = ingest_file(db, write(tmp_path / "sections-update.csv", updated), dataset="sections")
    prices = {r["section_code"]: str(r["control_price"]) for r in _current(db, "sections")}
    assert prices == {"S1": "1200000.00", "S2": "2000000.00"}
    assert second.batch_id is not None
    with db.transaction() as session:
        service.rollback(db_session=session, batch_id=second.batch_id)
    prices = {r["section_code"]: str(r["control_price"]) for r in _current(db, "sections")}
    assert prices == {"S1": "1000000.00", "S2": "2000000.00"}


def test_unreadable_file_is_recorded_as_failed_with_its_reason(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bids.csv"
    path.write_bytes(b"\x00\x01\x02garbage" * 100)
    result = ingest_file(db, path)
    assert result.status == "failed" and result.received == 0
    with db.session() as session:
        assert result.batch_id is not None
        batch = service.get_batch(db_session=session, batch_id=result.batch_id)
        assert batch is not None and batch.error_code == "binary_file"
        assert "二进制" in (batch.error_zh or "")


def test_unknown_dataset_is_refused_before_anything_is_recorded(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "whatever.csv", "x,y\n1,2\n")
    with pytest.raises(UserError):
        ingest_file(db, path)
    with pytest.raises(UserError):
        ingest_file(db, path, dataset="no_such_dataset")
    with db.session() as session:
        assert service.count_batches(db_session=session) == 0


def test_expand_paths_orders_by_catalogue(tmp_path: Path) -> None:
    for name in ("bids.csv", "sections.csv", "tender_projects.xlsx", "notes.md", "truth.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, skipped = expand_paths([tmp_path])
    assert [p.name for p in files] == ["tender_projects.xlsx", "sections.csv", "bids.csv"]
    assert [p.name for p in skipped] == ["notes.md", "truth.json"]

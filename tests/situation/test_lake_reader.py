"""Bringing the shared lake connection forward after a commit gives the very tables a rebuild gives."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.situation import service
from tests.analysis.lake import TENDERER, A, B, files


def _deliver(db: Database, folder: Path, records: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for dataset, text in records.items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    results = ingest_paths(db, [folder])
    assert all(r.status == "committed" and r.rejected == 0 for r in results), results


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    records = con.execute(f"SELECT * FROM {service.RECORDS} ORDER BY ALL").fetchall()
    sections = con.execute(f"SELECT * FROM {service.SECTIONS} ORDER BY ALL").fetchall()
    return records, sections


def test_a_push_sized_commit_updates_the_tables_like_a_rebuild(tmp_path: Path) -> None:
    db = Database(Settings(data_dir=tmp_path / "var"))
    db.upgrade()
    _deliver(db, tmp_path / "base", files())
    reader = service.LakeReader()
    before = reader.cursor(db)
    first = _tables(before)
    assert len(first[0]) == 1 + 3 + 6  # one project, three sections, six bids
    where = str(db.settings.lake_dir)
    shared = reader._open[where][1]

    sections_header = (
        "section_code,tender_project_code,name,industry,region_code,procedure,evaluation_method,"
        "control_price,announce_time,bid_deadline"
    )
    # A new project and section, and S1 delivered again in another county with another control price.
    _deliver(
        db,
        tmp_path / "more",
        {
            "tender_projects": "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at\n"
            f"TP2,桥梁工程,transport,330108,{TENDERER},2024-06-01\n",
            "sections": f"{sections_header}\n"
            "S4,TP2,S4标段,transport,330108,open,comprehensive,2000000,2024-06-02 09:00:00,2024-07-01 09:30:00\n"
            "S1,TP1,S1标段,building,330108,open,comprehensive,1200000,2024-05-02 09:00:00,2024-06-01 09:30:00\n",
        },
    )
    _deliver(
        db,
        tmp_path / "bids",
        {
            "bids": "section_code,bidder_uscc,bidder_name,bid_price,submit_time\n"
            f"S4,{A},甲公司,1900000,2024-06-30 10:00:00\nS2,{B},乙公司,950000,2024-05-30 11:00:00\n",
        },
    )
    _deliver(
        db,
        tmp_path / "awards",
        {"awards": f"section_code,winner_uscc,award_price,award_date\nS1,{A},900000,2024-06-10\n"},
    )

    after = reader.cursor(db)
    assert reader._open[where][1] is shared  # brought forward, not rebuilt
    with db.session() as session:
        batches = ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    rebuilt = service._connect(db, batches)
    assert _tables(after) == _tables(rebuilt)
    # And the change is there: S1's bids moved to Binjiang with their section.
    moved = after.execute(
        f"SELECT count(*) FROM {service.RECORDS} WHERE metric = 'bids' AND section_code = 'S1' AND region_code = '330108'"
    ).fetchone()
    assert moved == (2,)
    # The cursor taken before the commit still reads (its connection was not closed under it).
    assert before.execute(f"SELECT count(*) FROM {service.RECORDS}").fetchone() is not None
    db.dispose()


def test_a_rollback_rebuilds(tmp_path: Path) -> None:
    db = Database(Settings(data_dir=tmp_path / "var"))
    db.upgrade()
    _deliver(db, tmp_path / "base", files())
    reader = service.LakeReader()
    reader.cursor(db)
    where = str(db.settings.lake_dir)
    shared = reader._open[where][1]
    with db.transaction() as session:
        batch = next(b for b in ingest_service.get_all_batches(db_session=session) if b.dataset == "bids")
        ingest_service.rollback(db_session=session, batch_id=batch.id, actor="test")
    con = reader.cursor(db)
    assert reader._open[where][1] is not shared
    assert con.execute(f"SELECT count(*) FROM {service.RECORDS} WHERE metric = 'bids'").fetchone() == (0,)
    db.dispose()

"""The panels read the latest version of each record, like the lake's current views, although they
filter the history first: a later delivery that changes a price or moves a bond to another section
is what the page shows."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.lake.views import connect
from tenderwatch.section import service
from tenderwatch.web.app import create_app
from tests.analysis.lake import A, B, files
from tests.web.conftest import sign_in


def _deliver(db: Database, folder: Path, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for dataset, text in texts.items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    results = ingest_paths(db, [folder])
    assert all(r.status == "committed" and r.rejected == 0 for r in results), results


def test_a_later_delivery_wins_and_a_moved_bond_leaves_the_section(tmp_path: Path) -> None:
    db = Database(Settings(data_dir=tmp_path / "var"))
    db.upgrade()
    _deliver(db, tmp_path / "first", files())
    _deliver(
        db,
        tmp_path / "second",
        {
            "bids": "section_code,bidder_uscc,bidder_name,bid_price,submit_time\n"
            f"S1,{B},乙公司,955000,2024-05-30 10:00:00\n",
            # BD2 was booked to the wrong section: it belongs to S3 and came from B's own account.
            "bid_bonds": "bond_id,section_code,bidder_uscc,pay_method,payer_account,amount,paid_at\n"
            f"BD2,S3,{B},transfer,ACC-B,10000,2024-05-29 10:00:00\n",
        },
    )
    with db.session() as session:
        batches = ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(get_catalog(), batches)
    data = service.load(con, "S1")
    assert data is not None
    assert {b.bidder_uscc: b.price for b in data.bids}[B] == 955000
    bonds = next(r for r in data.fingerprints.rows if r.dataset == "bid_bonds")
    by_bidder = dict(zip(data.fingerprints.bidders, bonds.cells, strict=True))
    assert by_bidder[A].values == ["ACC-A"] and by_bidder[B].values == []
    # A's own basic account is no longer shared with B's bond: nothing links them through it.
    assert not [s for s in data.fingerprints.shared if s.value == "ACC-A"]
    moved = service.load(con, "S3")
    assert moved is not None
    bonds3 = next(r for r in moved.fingerprints.rows if r.dataset == "bid_bonds")
    assert dict(zip(moved.fingerprints.bidders, bonds3.cells, strict=True))[B].values == ["ACC-B"]
    con.close()
    db.dispose()


def test_the_page_follows_a_new_delivery(tmp_path: Path) -> None:
    db = Database(Settings(data_dir=tmp_path / "var"))
    db.upgrade()
    _deliver(db, tmp_path / "first", files())
    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    client = sign_in(TestClient(create_app(db.settings), raise_server_exceptions=False), "inspector")
    assert "910,000.00" in client.get("/sections/S1").text
    _deliver(
        db,
        tmp_path / "second",
        {
            "bids": "section_code,bidder_uscc,bidder_name,bid_price,submit_time\n"
            f"S1,{B},乙公司,955000,2024-05-30 10:00:00\n"
        },
    )
    # The kept DuckDB belongs to the old set of batches: the next request reads the new one.
    text = client.get("/sections/S1").text
    assert "955,000.00" in text and "910,000.00" not in text
    db.dispose()

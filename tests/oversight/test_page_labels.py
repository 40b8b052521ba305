"""Page fixes found by the browser journey (tests/web/test_browser_oversight.py): the conflicts page names
the role and the relation in words, the sample table the case state, and each rate table has its id."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.auth import admin
from tenderwatch.case.calendar import local_date
from tenderwatch.db import Database, utcnow
from tenderwatch.ingest.flows import ingest_paths
from tests.case.conftest import to_verifying
from tests.case.test_api import app  # noqa: F401 - the app fixture over the seeded database
from tests.detection.fixture_records import csv
from tests.oversight.conftest import BAD, build_selective, open_one
from tests.oversight.test_conflicts_and_sample import HANDLER_ID, OWNED
from tests.web.conftest import csrf_of, sign_in


def _lake_with_the_handlers_shares(db: Database, folder: Path) -> None:
    folder.mkdir()
    company = {"uscc": OWNED, "name": "公司甲", "legal_rep_name": "李四", "founded_on": "2010-01-01"}
    holding = {
        "company_uscc": OWNED,
        "holder_id": HANDLER_ID,
        "holder_type": "person",
        "holder_name": "王五",
        "share_pct": "30",
    }
    (folder / "companies.csv").write_text(csv("companies", [company]), encoding="utf-8")
    (folder / "shareholders.csv").write_text(csv("shareholders", [holding]), encoding="utf-8")
    assert all(r.status == "committed" and not r.rejected for r in ingest_paths(db, [folder]))


def test_conflicts_and_sample_speak_in_words(app: FastAPI, seeded: Database, tmp_path: Path) -> None:  # noqa: F811
    build_selective(seeded)
    _lake_with_the_handlers_shares(seeded, tmp_path / "delivery")
    with seeded.transaction() as session:
        admin.add_identity(db_session=session, actor="cli:root", username=BAD, id_number=HANDLER_ID)
    to_verifying(seeded, open_one(seeded, "330106", OWNED, local_date(utcnow())), BAD)
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "inspector")
        page = client.get("/oversight").text
        for table in ("rates-handlers", "rates-pairs", "rates-regions", "rates-edge"):
            assert f'id="{table}"' in page
        token = csrf_of(client, "/oversight")
        scan = client.post("/oversight/conflicts", data={"csrf_token": token}).text
        row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", scan, re.S)
        assert row and BAD in row.group(1)
        assert "承办人" in row.group(1) and "股东" in row.group(1)
        assert ">handler<" not in row.group(1) and "shareholder" not in row.group(1)
        drawn = client.post(
            "/oversight/sample", data={"csrf_token": token, "period": local_date(utcnow()).isoformat()[:7]}
        )
        sample = drawn.text[drawn.text.index('id="sample-table"') :]
        assert "已办结" in sample and ">closed<" not in sample

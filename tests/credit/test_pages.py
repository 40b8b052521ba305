"""The subject's credit page: scores, blacklist and records as the signed-in viewer may see them."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tenderwatch.credit import flows
from tenderwatch.db import Database
from tests.credit.conftest import uscc, violation
from tests.credit.test_gate_api import _ban_a, _session_client

A = uscc(1)


def test_subject_page(db: Database, client: TestClient) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, date(2025, 1, 5)))
    _ban_a(db)
    inspector = _session_client(client, db, "inspector", "33", [])
    search = inspector.get("/credit", params={"subject": A}, follow_redirects=False)
    assert search.status_code == 303 and search.headers["location"] == f"/credit/subjects/{A}"
    page = inspector.get(f"/credit/subjects/{A}", params={"on": "2025-03-01"})
    assert page.status_code == 200
    assert "行业信用评分" in page.text and "串通投标" in page.text and "浙建罚〔2024〕8号" in page.text
    assert "80.0" in page.text
    bad = inspector.get("/credit/subjects/not-a-code")
    assert bad.status_code == 422 and "统一社会信用代码无效" in bad.text


def test_subject_page_needs_sign_in(client: TestClient) -> None:
    response = client.get(f"/credit/subjects/{A}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")

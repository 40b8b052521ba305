"""Oversight pages and JSON through the real app: an inspector sees the flags and draws the sample; a
regulator is refused."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.db import Database
from tests.case.test_api import app  # noqa: F401 - the app fixture over the seeded database
from tests.oversight.conftest import BAD, build_selective
from tests.web.conftest import sign_in

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_inspector_pages_and_json(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    ids = build_selective(seeded)
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "inspector")
        page = client.get("/oversight")
        assert page.status_code == 200 and "查否率" in page.text
        assert BAD in page.text and f'href="/cases/{ids[BAD][0]}"' in page.text
        data = client.get("/api/v1/oversight/analytics").json()
        assert [g["key"] for g in data["unfounded_by_handler"] if g["flagged"]] == [[BAD]]
        assert [g["key"] for g in data["deadline_edge_by_handler"] if g["flagged"]] == [[BAD]]
        assert client.get("/api/v1/oversight/watch").status_code == 200
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        assert client.post("/api/v1/oversight/sample").status_code in (400, 403)  # no CSRF header
        drawn = client.post("/api/v1/oversight/sample", headers={"X-CSRF-Token": token}).json()
        assert len(drawn["case_ids"]) == 1
        listed = client.get("/api/v1/oversight/sample", params={"period": drawn["period"]}).json()
        assert [c["id"] for c in listed["cases"]] == drawn["case_ids"]
        form = client.post("/oversight/sample", data={"csrf_token": token, "period": drawn["period"]})
        assert form.status_code == 200 and f'href="/cases/{drawn["case_ids"][0]}"' in form.text
        scan = client.post("/oversight/conflicts", data={"csrf_token": token})
        assert scan.status_code == 200 and "利益冲突" in scan.text
        assert client.get("/api/v1/oversight/sample", params={"period": "2026-13"}).status_code == 422


def test_a_regulator_is_refused(app: FastAPI) -> None:  # noqa: F811
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "regulator")
        assert client.get("/oversight").status_code == 403
        assert client.get("/api/v1/oversight/analytics").status_code == 403
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/v1/oversight/analytics").status_code == 401

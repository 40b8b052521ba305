"""The case API through the real app: session sign-in, CSRF on writes, jurisdiction, the full journey
and the 409 on a stale version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.case import flows, service
from tenderwatch.db import Database
from tenderwatch.web.app import create_app
from tests.case.conftest import make_warning
from tests.web.conftest import csrf_of, sign_in


@pytest.fixture
def app(seeded: Database) -> FastAPI:
    with seeded.transaction() as session:
        ensure_demo_accounts(db_session=session)
    return create_app(seeded.settings)


@pytest.fixture
def case_id(seeded: Database) -> int:
    with seeded.transaction() as session:
        warning = make_warning(session)
        return flows.open_case(
            db_session=session, settings=seeded.settings, warning=warning, today=date(2026, 9, 30)
        ).id


@pytest.fixture
def clients(app: FastAPI) -> Iterator[dict[str, tuple[TestClient, dict[str, str]]]]:
    out: dict[str, tuple[TestClient, dict[str, str]]] = {}
    for role in ("regulator", "reviewer", "inspector", "data_steward"):
        client = TestClient(app, raise_server_exceptions=False)
        sign_in(client, role)
        out[role] = (client, {"X-CSRF-Token": csrf_of(client, "/")})
    yield out
    for client, _ in out.values():
        client.close()


def test_api_round_trip(
    clients: dict[str, tuple[TestClient, dict[str, str]]], case_id: int, seeded: Database
) -> None:
    reg, reg_h = clients["regulator"]
    rev, rev_h = clients["reviewer"]
    assert clients["data_steward"][0].get("/api/v1/cases").status_code == 403
    listing = reg.get("/api/v1/cases").json()
    assert [c["id"] for c in listing["items"]] == [case_id] and listing["unread"] >= 1
    case = reg.get(f"/api/v1/cases/{case_id}").json()
    assert case["state"] == "assigned" and "accept" in case["allowed"] and case["checklist"]

    url = f"/api/v1/cases/{case_id}"
    no_csrf = reg.post(url + "/transitions", json={"version": case["version"], "action": "accept"})
    assert no_csrf.status_code == 400 and no_csrf.json()["error"]["code"] == "csrf_failed"
    accepted = reg.post(
        url + "/transitions", json={"version": case["version"], "action": "accept"}, headers=reg_h
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    stale = reg.post(
        url + "/transitions", json={"version": case["version"], "action": "start"}, headers=reg_h
    )
    assert stale.status_code == 409 and "刷新" in stale.json()["error"]["message_zh"]
    version = reg.post(
        url + "/transitions", json={"version": accepted.json()["version"], "action": "start"}, headers=reg_h
    ).json()["version"]

    upload = reg.post(
        url + "/attachments", files={"file": ("银行流水.pdf", b"%PDF statement")}, headers=reg_h
    )
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    doc = upload.json()["id"]
    version = reg.get(url).json()["version"]
    for item in reg.get(url).json()["checklist"]:
        answered = reg.post(
            url + "/answers",
            json={
                "version": version,
                "model_id": item["model_id"],
                "item_id": item["item_id"],
                "answer": "pass",
                "notes": "核查属实",
                "attachment_ids": [doc],
            },
            headers=reg_h,
        )
        assert answered.status_code == 200, answered.text
        version = answered.json()["version"]
    refused = reg.post(
        url + "/conclusion",
        json={"version": version, "conclusion": {"outcome": "unfounded", "evidence_ids": [doc]}},
        headers=reg_h,
    )
    assert refused.status_code == 400 and "正当解释" in refused.json()["error"]["message"]
    concluded = reg.post(
        url + "/conclusion",
        json={
            "version": version,
            "conclusion": {"outcome": "unfounded", "benign_id": "public_terminal", "evidence_ids": [doc]},
        },
        headers=reg_h,
    )
    assert concluded.status_code == 200 and concluded.json()["state"] == "feedback_submitted"
    # the regulator cannot review; the reviewer returns it, then approves the corrected conclusion
    assert (
        reg.post(
            url + "/review",
            json={"version": concluded.json()["version"], "decision": "approve"},
            headers=reg_h,
        ).status_code
        == 400
    )
    returned = rev.post(
        url + "/review",
        json={"version": concluded.json()["version"], "decision": "return", "reason": "补充录像"},
        headers=rev_h,
    )
    assert returned.json()["state"] == "verifying"
    again = reg.post(
        url + "/conclusion",
        json={
            "version": returned.json()["version"],
            "conclusion": {
                "outcome": "unfounded",
                "benign_id": "public_terminal",
                "evidence_ids": [doc],
                "notes": "公共电脑，有使用登记",
            },
        },
        headers=reg_h,
    )
    closed = rev.post(
        url + "/review", json={"version": again.json()["version"], "decision": "approve"}, headers=rev_h
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["conclusion"]["reviewer"] == "demo-reviewer"
    assert closed.json()["conclusion"]["verifier"] == "demo-regulator"
    # the inspector sees it read-only: may reopen, not review
    insp, insp_h = clients["inspector"]
    assert insp.get(url).json()["allowed"] == ["reopen", "comment"]
    assert insp.post("/api/v1/cases/notifications/read", headers=insp_h).json()["marked"] >= 1
    with seeded.session() as session:
        kinds = [e.kind for e in service.get_case(db_session=session, case_id=case_id).events]
    assert kinds.count("answer") == len(reg.get(url).json()["checklist"]) and kinds[-1] == "approve"


def test_out_of_jurisdiction_looks_missing(app: FastAPI, seeded: Database) -> None:
    with seeded.transaction() as session:
        warning = make_warning(session, region="330212")  # Ningbo
        other = flows.open_case(
            db_session=session, settings=seeded.settings, warning=warning, today=date(2026, 9, 30)
        ).id
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "regulator")  # demo regulator: Hangzhou, building
        assert client.get(f"/api/v1/cases/{other}").status_code == 404
        assert client.get("/api/v1/cases").json()["items"] == []

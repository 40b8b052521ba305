"""POST /api/v1/credit/gate through the real app with real tokens, and GET /api/v1/credit/subjects/{id}
for regulators and inspectors filtered by their jurisdiction."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.auth import tokens
from tenderwatch.auth.models import ApiToken
from tenderwatch.credit import flows, service
from tenderwatch.db import Database
from tests.credit.conftest import MakeToken, deliver, pid, uscc, violation

A, B, L = uscc(1), uscc(2), uscc(3)
GATE = "/api/v1/credit/gate"


def _ask(client: TestClient, token: str | None, **body: Any) -> Any:
    query = {
        "subject_type": "company",
        "subject_id": A,
        "action": "submit_bid",
        "region": "330106",
        "industry": "building",
        "date": "2025-06-01",
    } | body
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(GATE, json=query, headers=headers)


def _ban_a(db: Database) -> None:
    with db.transaction() as session:
        service.add_blacklist(
            db_session=session,
            actor="r",
            subject_type="company",
            subject_id=A,
            restricted_actions=["buy_documents", "submit_bid"],
            scope_region="33",
            industries_in_scope=[],
            start_date=date(2025, 1, 1),
            end_date=date(2025, 12, 31),
            legal_basis="《招标投标法》第五十三条",
            reason="串通投标，情节严重",
            decision_no="浙建罚〔2024〕8号",
        )


def test_allowed_and_blocked(db: Database, client: TestClient, make_token: MakeToken) -> None:
    token = make_token("platform", "33", [])
    _ban_a(db)
    allowed = _ask(client, token, subject_id=B)
    assert allowed.status_code == 200
    assert (allowed.json()["decision"], allowed.json()["reasons"]) == ("allowed", [])
    assert allowed.json()["checked_at"]
    blocked = _ask(client, token).json()
    assert blocked["decision"] == "blocked"
    (reason,) = blocked["reasons"]
    assert reason["code"] == "blacklisted" and reason["until"] == "2025-12-31"
    assert reason["source"].startswith("internal:credit_blacklist/")
    assert "浙建罚〔2024〕8号" in reason["zh"] and reason["en"]
    assert _ask(client, token, action="register").json()["decision"] == "allowed"
    assert _ask(client, token, date="2026-01-01").json()["decision"] == "allowed"
    # 处处受限: a platform token of one city may ask about any region (here Ningbo, still in the ban's scope).
    city_token = make_token("platform", "3301", ["building"])
    assert _ask(client, city_token, region="330206", industry="water").json()["decision"] == "blocked"


def test_blocked_by_the_credit_centre_blacklist_in_the_lake(
    db: Database, client: TestClient, make_token: MakeToken, tmp_path: Path
) -> None:
    entry = {
        "entry_id": "SX0000001",
        "subject_type": "company",
        "subject_id": L,
        "reason": "围标串标",
        "restricted_actions": "限制参与依法必须招标项目投标",
        "scope_region": "33",
        "start_date": "2025-03-01",
        "end_date": "2026-02-28",
        "decision_no": "浙信用〔2025〕3号",
    }
    token = make_token("platform", "33", [])
    assert _ask(client, token, subject_id=L).json()["decision"] == "allowed"
    deliver(db, tmp_path, {"blacklist": [entry]})
    answer = _ask(client, token, subject_id=L).json()
    assert answer["decision"] == "blocked"
    assert [(r["source"], r["until"]) for r in answer["reasons"]] == [
        ("lake:blacklist/SX0000001", "2026-02-28")
    ]
    assert _ask(client, token, subject_id=L, action="buy_documents").json()["decision"] == "allowed"
    assert _ask(client, token, subject_id=L, region="310101").json()["decision"] == "allowed"


def test_tokens_are_required_and_must_be_live(
    db: Database, client: TestClient, make_token: MakeToken
) -> None:
    missing = _ask(client, None)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert set(missing.json()["error"]) == {"code", "zh", "en"}
    assert _ask(client, "tw_000000000000_nonsense").status_code == 401
    assert client.post(GATE, json={}, headers={"Authorization": "Basic dXNlcjpwdw=="}).status_code == 401
    token = make_token("platform", "33", [])
    assert _ask(client, token + "x").status_code == 401  # right id, wrong secret
    assert _ask(client, token).status_code == 200
    with db.transaction() as session:
        tokens.revoke_token(db_session=session, token_id="_".join(token.split("_")[:2]), actor="admin")
    revoked = _ask(client, token)
    assert revoked.status_code == 401
    assert revoked.json()["error"]["en"] == "The API token is invalid or revoked"


def test_only_platform_tokens_may_ask(client: TestClient, make_token: MakeToken) -> None:
    for role in ("data_steward", "regulator"):
        answer = _ask(client, make_token(role, "33", []))
        assert answer.status_code == 403
        assert "platform" in answer.json()["error"]["en"]


def test_bad_identifiers_and_fields_are_422(client: TestClient, make_token: MakeToken) -> None:
    token = make_token("platform", "33", [])
    bad_uscc = _ask(client, token, subject_id=A[:-1] + ("0" if A[-1] != "0" else "1"))
    assert bad_uscc.status_code == 422
    assert bad_uscc.json()["error"]["zh"].startswith("统一社会信用代码无效")
    assert "Invalid unified social credit code" in bad_uscc.json()["error"]["en"]
    bad_id = _ask(client, token, subject_type="person", subject_id="110105194912310021")
    assert bad_id.status_code == 422 and "citizen ID" in bad_id.json()["error"]["en"]
    assert _ask(client, token, region="33").status_code == 422
    assert _ask(client, token, industry="housing").status_code == 422
    assert _ask(client, token, action="sleep").status_code == 422


def test_token_last_use_is_recorded(db: Database, client: TestClient, make_token: MakeToken) -> None:
    token = make_token("platform", "33", [])
    _ask(client, token)
    with db.session() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.last_used_at is not None


def _records(db: Database) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, date(2025, 1, 5)))
        flows.record_violation(
            db_session=session,
            actor="r",
            violation=violation(A, date(2025, 2, 5), kind="lending", region_code="330206", industry="water"),
        )


def _session_client(
    client: TestClient, db: Database, role: str, region: str, industries: list[str]
) -> TestClient:
    from tenderwatch.auth import service as auth_service
    from tests.web.conftest import csrf_of

    with db.transaction() as session:
        auth_service.create_user(
            db_session=session,
            username=f"{role}-x",
            display_name=role,
            password="pw-123456",
            grants=[(role, region, industries)],
        )
    csrf = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": f"{role}-x", "password": "pw-123456", "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


def test_subject_view_follows_jurisdiction(db: Database, client: TestClient) -> None:
    _records(db)
    _ban_a(db)
    regulator = _session_client(client, db, "regulator", "3301", ["building"])
    body = regulator.get(f"/api/v1/credit/subjects/{A}", params={"on": "2025-03-01"}).json()
    assert [(r["kind"], r["region_code"]) for r in body["records"]] == [("collusion", "330106")]
    assert [s["industry"] for s in body["scores"]] == ["building"]
    assert body["scores"][0]["value"] == 80.0
    assert [e["scope_region"] for e in body["blacklist"]] == ["33"]  # a province-wide ban concerns Hangzhou


def test_inspector_sees_all_and_platform_session_is_refused(db: Database, client: TestClient) -> None:
    _records(db)
    inspector = _session_client(client, db, "inspector", "33", [])
    body = inspector.get(f"/api/v1/credit/subjects/{A}", params={"on": "2025-03-01"}).json()
    assert sorted(r["kind"] for r in body["records"]) == ["collusion", "lending"]
    water = next(s for s in body["scores"] if s["industry"] == "water")
    assert water["value"] == 85.0
    assert inspector.get("/api/v1/credit/subjects/not-a-code").status_code == 422


def test_person_lookup_is_audited(db: Database, client: TestClient) -> None:
    inspector = _session_client(client, db, "inspector", "33", [])
    person = pid(4)
    assert inspector.get(f"/api/v1/credit/subjects/{person}").json()["subject_type"] == "person"
    with db.session() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "credit_subject")
        ).all()
    assert actions == ["view_personal"]


def test_subject_view_needs_a_regulator_or_inspector(
    db: Database, client: TestClient, make_token: MakeToken
) -> None:
    token = make_token("platform", "33", [])
    anonymous = client.get(f"/api/v1/credit/subjects/{A}", headers={"Authorization": f"Bearer {token}"})
    assert anonymous.status_code == 401
    steward = _session_client(client, db, "data_steward", "33", [])
    assert steward.get(f"/api/v1/credit/subjects/{A}").status_code == 403

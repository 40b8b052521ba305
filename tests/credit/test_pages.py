"""The subject's credit page: scores, blacklist and records as the signed-in viewer may see them; and its
forms that confirm, reject and revoke blacklist entries, for the regulators of the finding."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.auth import service as auth_service
from tenderwatch.credit import flows, service
from tenderwatch.db import Database
from tests.credit.conftest import MakeToken, uscc, violation
from tests.credit.test_gate_api import _ask, _ban_a, _session_client
from tests.web.conftest import csrf_of

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


# ---- deciding on the blacklist from the subject page --------------------------------------------------

SECOND = date(2025, 1, 5)


def _proposal(db: Database) -> int:
    """Two collusion findings in Xihu (330106, building) within three years: a proposed ban."""
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, date(2023, 3, 1)))
        result = flows.record_violation(db_session=session, actor="r", violation=violation(A, SECOND))
        assert result.proposal is not None
        return result.proposal.id


def _signed_in(
    app: FastAPI, db: Database, username: str, grants: list[tuple[str, str, list[str]]]
) -> TestClient:
    with db.transaction() as session:
        auth_service.create_user(
            db_session=session, username=username, display_name=username, password="pw-123456", grants=grants
        )
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post(
        "/login",
        data={"username": username, "password": "pw-123456", "csrf_token": csrf_of(client), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


def _post(client: TestClient, path: str, **form: str) -> Response:
    token = csrf_of(client, f"/credit/subjects/{A}")
    response: Response = client.post(path, data={"csrf_token": token, **form}, follow_redirects=False)
    return response


def _gate(client: TestClient, token: str) -> str:
    decision: str = _ask(client, token, date="2025-06-01").json()["decision"]
    return decision


def _status(db: Database, entry_id: int) -> str:
    with db.session() as session:
        return service.get_entry(db_session=session, entry_id=entry_id).status


def test_confirm_outside_the_statutory_range_is_refused_with_a_clear_message(
    app: FastAPI, db: Database
) -> None:
    entry_id = _proposal(db)
    regulator = _signed_in(app, db, "xihu", [("regulator", "330106", ["building"])])
    page = regulator.get(f"/credit/subjects/{A}").text
    assert f'id="confirm-{entry_id}"' in page and "法定期限：12–24个月" in page
    confirm = f"/credit/blacklist/{entry_id}/confirm"
    too_long = _post(
        regulator, confirm, decision_no="杭建罚〔2025〕9号", start_date="2025-01-05", months="25"
    )
    assert too_long.status_code == 400 and "期限须在法定范围 12–24 个月内" in too_long.text
    assert "Traceback" not in too_long.text
    not_a_number = _post(
        regulator, confirm, decision_no="杭建罚〔2025〕9号", start_date="2025-01-05", months="x"
    )
    assert not_a_number.status_code == 400 and "期限须为整月数" in not_a_number.text
    bad_day = _post(regulator, confirm, decision_no="杭建罚〔2025〕9号", start_date="5.1.2025", months="12")
    assert bad_day.status_code == 400 and "起始日期须为日期" in bad_day.text
    regulator.get("/lang/en")
    english = _post(regulator, confirm, decision_no="D", start_date="2025-01-05", months="11")
    assert "The period must be within the statutory 12–24 months" in english.text
    assert _status(db, entry_id) == "proposed"


def test_confirm_blocks_at_the_gate_and_revoke_allows_again(
    app: FastAPI, db: Database, client: TestClient, make_token: MakeToken
) -> None:
    entry_id = _proposal(db)
    platform = make_token("platform", "33", [])
    assert _gate(client, platform) == "allowed"  # a proposal restricts nothing
    regulator = _signed_in(app, db, "hangzhou", [("regulator", "3301", ["building"])])  # the city's bureau
    done = _post(
        regulator,
        f"/credit/blacklist/{entry_id}/confirm",
        decision_no="杭建罚〔2025〕9号",
        start_date="2025-01-05",
        months="18",
    )
    assert done.status_code == 303 and done.headers["location"] == f"/credit/subjects/{A}"
    answer = _ask(client, platform, date="2025-06-01").json()
    assert answer["decision"] == "blocked" and "杭建罚〔2025〕9号" in answer["reasons"][0]["zh"]
    assert answer["reasons"][0]["until"] == "2026-07-04"
    page = regulator.get(f"/credit/subjects/{A}").text
    assert f'id="revoke-{entry_id}"' in page and f'id="confirm-{entry_id}"' not in page
    revoke = f"/credit/blacklist/{entry_id}/revoke"
    no_document = _post(regulator, revoke, reason="行政复议撤销原决定")
    assert no_document.status_code == 400 and "撤销须有文书号" in no_document.text
    assert (
        _post(regulator, revoke, reason="行政复议撤销原决定", document_no="浙复〔2025〕3号").status_code
        == 303
    )
    assert _gate(client, platform) == "allowed"
    assert "行政复议撤销原决定（浙复〔2025〕3号）" in regulator.get(f"/credit/subjects/{A}").text
    with db.session() as session:
        events = service.events_of(db_session=session, subject_id=A)
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "credit_blacklist")
        ).all()
    assert [(e.action, e.actor) for e in events][-2:] == [
        ("blacklist_confirmed", "hangzhou"),
        ("blacklist_revoked", "hangzhou"),
    ]
    assert events[-1].details == {"reason": "行政复议撤销原决定", "document_no": "浙复〔2025〕3号"}
    assert [a.details["op"] for a in audited] == [
        "blacklist_proposed",
        "blacklist_confirmed",
        "blacklist_revoked",
    ]


def test_reject_a_proposal(app: FastAPI, db: Database, client: TestClient, make_token: MakeToken) -> None:
    entry_id = _proposal(db)
    regulator = _signed_in(app, db, "xihu", [("regulator", "330106", ["building"])])
    reject = f"/credit/blacklist/{entry_id}/reject"
    no_reason = _post(regulator, reject, reason=" ")
    assert no_reason.status_code == 400 and "驳回须说明理由" in no_reason.text
    assert _post(regulator, reject, reason="前次认定已被撤销").status_code == 303
    assert _status(db, entry_id) == "rejected"
    page = regulator.get(f"/credit/subjects/{A}").text
    assert "已驳回" in page and "前次认定已被撤销" in page and f'id="confirm-{entry_id}"' not in page
    late = _post(
        regulator,
        f"/credit/blacklist/{entry_id}/confirm",
        decision_no="杭建罚〔2025〕9号",
        start_date="2025-01-05",
        months="12",
    )
    assert late.status_code == 400 and "只能确认待确认的黑名单条目" in late.text
    assert _gate(client, make_token("platform", "33", [])) == "allowed"


def test_a_regulator_of_another_county_and_other_roles_are_refused(app: FastAPI, db: Database) -> None:
    entry_id = _proposal(db)
    confirm = {"decision_no": "滨建罚〔2025〕1号", "start_date": "2025-01-05", "months": "12"}
    binjiang = _signed_in(app, db, "binjiang", [("regulator", "330108", ["building"])])
    page = binjiang.get(f"/credit/subjects/{A}").text
    assert "待确认" in page  # a province-wide ban concerns Binjiang too …
    assert f'id="confirm-{entry_id}"' not in page  # … but it is not Binjiang's finding to decide
    refused = _post(binjiang, f"/credit/blacklist/{entry_id}/confirm", **confirm)
    assert refused.status_code == 403 and "无权作出决定" in refused.text
    water = _signed_in(app, db, "xihu-water", [("regulator", "330106", ["water"])])
    assert _post(water, f"/credit/blacklist/{entry_id}/reject", reason="x").status_code == 403
    inspector = _signed_in(app, db, "insp", [("inspector", "33", [])])
    assert _post(inspector, f"/credit/blacklist/{entry_id}/confirm", **confirm).status_code == 403
    xihu = _signed_in(app, db, "xihu", [("regulator", "330106", ["building"])])
    no_csrf = xihu.post(f"/credit/blacklist/{entry_id}/confirm", data=confirm, follow_redirects=False)
    assert no_csrf.status_code == 400
    assert _post(xihu, "/credit/blacklist/999999/confirm", **confirm).status_code == 404
    assert _status(db, entry_id) == "proposed"


def test_the_json_twins_decide_the_same_way(
    app: FastAPI, db: Database, client: TestClient, make_token: MakeToken
) -> None:
    entry_id = _proposal(db)
    platform = make_token("platform", "33", [])
    xihu = _signed_in(app, db, "xihu", [("regulator", "330106", ["building"])])
    headers = {"X-CSRF-Token": csrf_of(xihu, f"/credit/subjects/{A}")}
    base = f"/api/v1/credit/blacklist/{entry_id}"
    body = {"decision_no": "杭建罚〔2025〕9号", "start_date": "2025-01-05", "months": 30}
    assert xihu.post(f"{base}/confirm", json=body).status_code == 400  # no CSRF header
    too_long = xihu.post(f"{base}/confirm", json=body, headers=headers)
    assert too_long.status_code == 422
    assert too_long.json()["error"]["zh"] == "期限须在法定范围 12–24 个月内"
    binjiang = _signed_in(app, db, "binjiang", [("regulator", "330108", ["building"])])
    other = {"X-CSRF-Token": csrf_of(binjiang, f"/credit/subjects/{A}")}
    refused = binjiang.post(f"{base}/confirm", json=body | {"months": 12}, headers=other)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    confirmed = xihu.post(f"{base}/confirm", json=body | {"months": 12}, headers=headers)
    assert confirmed.status_code == 200
    assert (confirmed.json()["status"], confirmed.json()["end_date"]) == ("active", "2026-01-04")
    assert _gate(client, platform) == "blocked"
    revoke = {"reason": "信用修复", "document_no": "杭信修〔2025〕1号"}
    assert xihu.post(f"{base}/revoke", json=revoke, headers=headers).json()["status"] == "revoked"
    assert _gate(client, platform) == "allowed"
    assert xihu.post(f"{base}/reject", json={"reason": "x"}, headers=headers).status_code == 422
    assert (
        xihu.post("/api/v1/credit/blacklist/999999/reject", json={"reason": "x"}, headers=headers).status_code
        == 404
    )

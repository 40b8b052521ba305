"""Through the real app: the anonymous form with CSRF, the receipt page and tracking, the API, the
handler's answer (once, no edit path) and the identity shown to the handler only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.db import Database
from tenderwatch.web.app import create_app
from tests.complaint.conftest import PDF
from tests.web.conftest import csrf_of, sign_in

CODE_RE = re.compile(r'id="receipt-code">([0-9A-Z-]+)<')
FORM = {
    "kind": "complaint",
    "section_code": "S-1",
    "region_code": "330106",
    "industry": "building",
    "subject": "评标专家打分异常",
    "description": "详见附件",
    "name": "李四",
    "phone": "13900000000",
    "consent": "on",
}


@pytest.fixture
def app(seeded: Database) -> FastAPI:
    with seeded.transaction() as session:
        ensure_demo_accounts(db_session=session)
    return create_app(seeded.settings)


@pytest.fixture
def public(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _staff(app: FastAPI, role: str) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app, raise_server_exceptions=False)
    sign_in(client, role)
    return client, {"X-CSRF-Token": csrf_of(client, "/")}


def _file_by_page(client: TestClient) -> tuple[str, int]:
    token = csrf_of(client, "/complaints/new")
    response = client.post(
        "/complaints/new",
        data={**FORM, "csrf_token": token},
        files=[("files", ("证据.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 201, response.text
    match = CODE_RE.search(response.text)
    assert match
    case_id = int(re.search(r'id="case-number">(\d+)<', response.text).group(1))  # type: ignore[union-attr]
    return match.group(1), case_id


def test_public_form_needs_no_login_but_a_csrf_token(public: TestClient) -> None:
    page = public.get("/complaints/new")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    refused = public.post("/complaints/new", data=FORM, files=[("files", ("a.pdf", PDF, "application/pdf"))])
    assert refused.status_code == 400 and "receipt-code" not in refused.text
    code, _ = _file_by_page(public)
    token = csrf_of(public, "/complaints/track")
    tracked = public.post("/complaints/track", data={"receipt_code": code, "csrf_token": token})
    assert tracked.status_code == 200 and 'id="track-state"' in tracked.text
    wrong = [
        public.post("/complaints/track", data={"receipt_code": c, "csrf_token": token})
        for c in ("ABCD-EFGH-JKMN", code[:-1] + ("0" if code[-1] != "0" else "1"))
    ]
    assert {w.status_code for w in wrong} == {404}
    errors = {re.search(r'id="track-error"[^>]*>([^<]+)<', w.text).group(1) for w in wrong}  # type: ignore[union-attr]
    assert len(errors) == 1
    assert public.post("/complaints/track", data={"receipt_code": code}).status_code == 400  # no token


def test_api_filing_tracking_and_the_handlers_answer(app: FastAPI, public: TestClient) -> None:
    filed = public.post(
        "/api/v1/complaints",
        data={**FORM, "consent": "true"},
        files=[("files", ("shot.png", b"\x89PNG\r\n\x1a\n..", "image/png"))],
    )
    assert filed.status_code == 201, filed.text
    body = filed.json()
    code, cid, case_id = body["receipt_code"], body["complaint_id"], body["case_id"]
    assert public.post("/api/v1/complaints/track", json={"receipt_code": "0000-0000-0000"}).status_code == 404

    reg, reg_h = _staff(app, "regulator")
    rev, _ = _staff(app, "reviewer")
    insp, _ = _staff(app, "inspector")
    for client in (reg, rev, insp):
        assert client.get(f"/api/v1/complaints/{cid}").json()["identity"] == "(hidden)"
    for action in ("accept", "start"):
        version = reg.get(f"/api/v1/cases/{case_id}").json()["version"]
        moved = reg.post(
            f"/api/v1/cases/{case_id}/transitions", json={"version": version, "action": action}, headers=reg_h
        )
        assert moved.status_code == 200, moved.text
    assert reg.get(f"/api/v1/complaints/{cid}").json()["identity"]["name"] == "李四"
    for client in (rev, insp):
        assert client.get(f"/api/v1/complaints/{cid}").json()["identity"] == "(hidden)"
        assert "李四" not in client.get(f"/complaints/{cid}").text
    assert "李四" in reg.get(f"/complaints/{cid}").text

    url = f"/api/v1/complaints/{cid}/answer"
    assert reg.post(url, data={"text": "不成立"}).status_code == 400  # no CSRF header
    assert rev.post(url, data={"text": "不成立"}, headers=reg_h).status_code in (400, 403)
    first = reg.post(url, data={"text": "投诉不成立，理由如下。"}, headers=reg_h)
    assert first.status_code == 201, first.text
    # No way to change it: a second answer, the page form, and no PUT/PATCH/DELETE route.
    assert reg.post(url, data={"text": "改为成立"}, headers=reg_h).status_code == 400
    token = csrf_of(reg, f"/complaints/{cid}")
    assert 'id="answer-form"' not in reg.get(f"/complaints/{cid}").text
    page = reg.post(f"/complaints/{cid}/answer", data={"text": "改为成立", "csrf_token": token})
    assert page.status_code == 400
    for method in ("PUT", "PATCH", "DELETE"):
        assert reg.request(method, url, data={"text": "x"}, headers=reg_h).status_code == 405
    added = reg.post(f"/api/v1/complaints/{cid}/addenda", json={"text": "补充：附件页码"}, headers=reg_h)
    assert added.status_code == 201

    tracked = public.post("/api/v1/complaints/track", json={"receipt_code": code}).json()
    assert tracked["answer"]["text"] == "投诉不成立，理由如下。"
    assert [a["text"] for a in tracked["addenda"]] == ["补充：附件页码"]
    assert "reg" not in str(tracked["timeline"]) and "handler" not in tracked
    for client in (reg, rev, insp):
        client.close()


def test_filing_page_rate_limit_answers_429(seeded: Database) -> None:
    with seeded.transaction() as session:
        ensure_demo_accounts(db_session=session)
    app = create_app(seeded.settings.model_copy(update={"complaint_rate_limit": 1}))
    with TestClient(app, raise_server_exceptions=False) as client:
        _file_by_page(client)
        token = csrf_of(client, "/complaints/new")
        again = client.post("/complaints/new", data={**FORM, "csrf_token": token})
        assert again.status_code == 429 and "receipt-code" not in again.text
        api = client.post("/api/v1/complaints", data={**FORM, "consent": "true"})
        assert api.status_code == 429


def test_page_journey_sign_for_answer_and_review(app: FastAPI, public: TestClient) -> None:
    _, case_id = _file_by_page(public)
    reg, _ = _staff(app, "regulator")
    rev, _ = _staff(app, "reviewer")
    cid = int(reg.get("/api/v1/complaints").json()[0]["id"])
    # The case page of a complaint leads to the complaint page, which offers the case's moves.
    assert reg.get(f"/cases/{case_id}", follow_redirects=False).headers["location"] == f"/complaints/{cid}"
    for action in ("accept", "start"):
        page = reg.get(f"/complaints/{cid}").text
        assert 'id="action-form"' in page
        version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
        token = csrf_of(reg, f"/complaints/{cid}")
        moved = reg.post(
            f"/cases/{case_id}/action", data={"action": action, "version": version, "csrf_token": token}
        )
        assert moved.status_code == 200 and moved.url.path == f"/complaints/{cid}", moved.text
    token = csrf_of(reg, f"/complaints/{cid}")
    answered = reg.post(
        f"/complaints/{cid}/answer",
        data={"text": "已责令招标人修改招标文件。", "csrf_token": token},
        files=[("file", ("决定书.pdf", PDF, "application/pdf"))],
    )
    assert answered.status_code == 200 and 'id="answer"' in answered.text
    assert 'id="answer-form"' not in answered.text and 'id="addendum-form"' in answered.text
    page = rev.get(f"/complaints/{cid}").text
    assert 'id="review-form"' in page and ("(hidden)" in page or "（已隐藏）" in page)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    token = csrf_of(rev, f"/complaints/{cid}")
    reviewed = rev.post(
        f"/cases/{case_id}/review", data={"decision": "approve", "version": version, "csrf_token": token}
    )
    assert reviewed.status_code == 200, reviewed.text
    assert rev.get(f"/api/v1/cases/{case_id}").json()["state"] == "closed"
    reg.close()
    rev.close()


def test_a_complaints_case_in_the_case_list_links_to_the_complaint(app: FastAPI, public: TestClient) -> None:
    _file_by_page(public)
    regulator, _ = _staff(app, "regulator")
    with regulator:
        listing = regulator.get("/cases").text
        assert "/warnings/None" not in listing and ">public<" not in listing
        assert re.search(r'href="/complaints/\d+">投诉 \d+</a>', listing)
        assert "投诉" in listing

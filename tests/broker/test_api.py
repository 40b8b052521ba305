"""The broker API and pages through the real app: roles, CSRF, entry, judgement history, screening."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tenderwatch.auth.flows import demo_username
from tests.web.conftest import csrf_of, sign_in

BROKER_ID = "330112198206143765"
CSRF_META = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_of(client, "/brokers")}


def test_unauthorised_users_are_denied(client: TestClient) -> None:
    assert client.get("/api/v1/brokers").status_code == 401
    assert client.get("/brokers", follow_redirects=False).status_code == 303
    sign_in(client, "data_steward")
    assert client.get("/api/v1/brokers").status_code == 403
    assert client.post("/api/v1/brokers/screen", json={"phones": ["13800001234"]}).status_code == 403
    assert client.get("/brokers").status_code == 403


def test_add_judge_and_screen_through_the_api(client: TestClient) -> None:
    sign_in(client, "inspector")
    body = {
        "display_name": "王泽泽",
        "reason": "举报线索",
        "id_numbers": [BROKER_ID],
        "phones": ["185 5855 9471"],
        "accounts": ["6222000011112222"],
    }
    assert client.post("/api/v1/brokers", json=body).status_code == 400  # no CSRF header
    created = client.post("/api/v1/brokers", json=body, headers=_token(client))
    assert created.status_code == 201, created.text
    entry = created.json()
    assert entry["status"] == "candidate" and entry["source"] == "manual"
    bad = client.post(
        "/api/v1/brokers", json={**body, "id_numbers": ["330112198206143764"]}, headers=_token(client)
    )
    assert bad.status_code == 400 and "身份证号无效" in bad.text

    for verdict in ("same", "not_same", "same"):
        judged = client.post(
            f"/api/v1/brokers/{entry['id']}/judgements",
            json={"verdict": verdict, "note": f"理由 {verdict}"},
            headers=_token(client),
        )
        assert judged.status_code == 201, judged.text
    detail = client.get(f"/api/v1/brokers/{entry['id']}").json()
    assert detail["status"] == "confirmed"
    who = demo_username("inspector")
    assert [(j["verdict"], j["actor"]) for j in detail["judgements"]] == [
        ("same", who),
        ("not_same", who),
        ("same", who),
    ]
    assert len(detail["judgements"]) == 3 and [e["kind"] for e in detail["events"]].count("judged") == 3

    listed = client.get("/api/v1/brokers", params={"status": "confirmed", "q": "18558559471"}).json()
    assert [i["id"] for i in listed["items"]] == [entry["id"]]
    assert client.get("/api/v1/brokers", params={"status": "rejected"}).json()["total"] == 0

    screened = client.post(
        "/api/v1/brokers/screen", json={"phones": ["+86 185-5855-9471"], "names": ["汪泽泽", "李四"]}
    ).json()
    assert {(m["rule"], m["strong"]) for m in screened} == {("exact_phone", True), ("name_homophone", True)}

    page = client.get(f"/brokers/{entry['id']}")
    assert page.status_code == 200 and "王泽泽" in page.text and 'id="judgements"' in page.text
    token = CSRF_META.search(page.text)
    assert token
    form = client.post(
        f"/brokers/{entry['id']}/judge",
        data={"verdict": "unsure", "note": "复核", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert form.status_code == 303
    assert client.get(f"/api/v1/brokers/{entry['id']}").json()["status"] == "unsure"
    assert client.get("/brokers").status_code == 200

"""The page, its drill-down lists, the API and the live stream, over HTTP as the analysts see them."""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import DEMO_PASSWORD
from tenderwatch.warning.models import Warning
from tests.situation.conftest import DAY, Situation
from tests.web.conftest import CSRF_RE, sign_in
from tests.web.live import running_server

LIST_LINK = re.compile(
    r'href="(/situation/list\?[^"]+)"[^>]*>(?:<span class="label">[^<]*</span><span class="value">)?([\d,]+)<'
)
SECTION_LINK = re.compile(r'href="/sections/([^"]+)"')
TOTAL = re.compile(r'id="list-total">[^<\d]*([\d,]+)')


def _sign_in_as(client: TestClient, username: str, password: str) -> TestClient:
    token = CSRF_RE.search(client.get("/login").text)
    assert token
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


@pytest.fixture(scope="module")
def county_user(situation: Situation) -> str:
    """An inspector of Binjiang district (330108), which has sections and warnings in the tiny province."""
    with situation.province.db.transaction() as session:
        if auth_service.get_by_username(db_session=session, username="insp-330108") is None:
            auth_service.create_user(
                db_session=session,
                username="insp-330108",
                display_name="滨江区纪检",
                password="county-password",
                grants=[("inspector", "330108", [])],
            )
    return "insp-330108"


def test_page_shows_tiles_tables_and_the_chart_data_in_chinese(web: TestClient) -> None:
    sign_in(web, "inspector")
    response = web.get(f"/situation?period=year&date={DAY}")
    assert response.status_code == 200
    page = response.text
    assert "<h1>综合态势</h1>" in page
    for tile in (
        "kpi-projects",
        "kpi-sections",
        "kpi-bids",
        "kpi-awards",
        "count-red",
        "open-red",
        "count-overdue",
    ):
        assert f'id="{tile}"' in page
    assert "杭州市" in page and "亿元" in page
    data = json.loads(re.search(r'id="situation-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert len(data["treemap"]) == 11 and all(c["children"] for c in data["treemap"])
    assert len(data["trend"]["buckets"]) == 12
    assert data["listBase"] == "/situation/list?"  # trend points open lists under the same filters
    # The CSP stands: the page's scripts are our own files, the data a JSON block.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", page)


def test_nav_and_home_lead_analysts_to_the_screen(web: TestClient) -> None:
    sign_in(web, "regulator")
    home = web.get("/").text
    assert 'id="nav-situation"' in home and 'id="home-situation"' in home


@pytest.mark.parametrize("role", ["data_steward", "admin"])
def test_roles_without_warnings_get_no_screen(web: TestClient, role: str) -> None:
    sign_in(web, role)
    assert web.get("/situation", follow_redirects=False).status_code == 403
    assert web.get("/api/v1/situation").status_code == 403
    assert 'id="nav-situation"' not in web.get("/").text


def test_every_number_leads_to_the_list_it_counted(web: TestClient, app: FastAPI) -> None:
    sign_in(web, "inspector")
    page = web.get(f"/situation?period=year&date={DAY}").text
    links = {html.unescape(href): int(n.replace(",", "")) for href, n in LIST_LINK.findall(page)}
    kinds = {re.search(r"kind=(\w+)", href).group(1) for href in links}  # type: ignore[union-attr]
    assert kinds == {"projects", "sections", "bids", "warnings", "open_warnings", "overdue"}
    assert len(links) > 100
    followed = 0
    serves_sections = any(getattr(r, "path", "") == "/sections/{section_code}" for r in app.routes)
    for href, number in sorted(links.items(), key=lambda item: -item[1])[:40]:
        response = web.get(href)
        assert response.status_code == 200, href
        total = TOTAL.search(response.text)
        assert total and int(total.group(1).replace(",", "")) == number, href
        sections = SECTION_LINK.findall(response.text)
        if number and "kind=overdue" not in href:
            assert sections, href  # every listed record leads on to its section
        if sections and serves_sections and followed < 3:
            assert web.get(f"/sections/{sections[0]}").status_code == 200
            followed += 1
    # The amounts' links (their text is money, not a count) list the awards the tile counted.
    awards = re.search(r'id="kpi-awards" href="([^"]+)"', page)
    assert awards
    api = web.get(f"/api/v1/situation?period=year&date={DAY}").json()
    listed = web.get(html.unescape(awards.group(1))).text
    assert TOTAL.search(listed).group(1) == str(api["totals"]["awards"])  # type: ignore[union-attr]


def test_open_red_list_holds_the_counted_warnings(web: TestClient, situation: Situation) -> None:
    sign_in(web, "inspector")
    api = web.get(f"/api/v1/situation?period=year&date={DAY}").json()
    listed = web.get(f"/situation/list?kind=open_warnings&grade=red&period=year&date={DAY}").text
    ids = set(re.findall(r'id="warning-(\d+)"', listed))
    assert len(ids) == api["totals"]["open"]["red"] > 0
    problem = api["problems"][0]
    by_project = web.get(f"/situation/list?kind=open_warnings&project={problem['project_code']}").text
    assert len(re.findall(r'id="warning-\d+"', by_project)) == problem["total"]


def test_a_county_user_sees_only_its_county(web: TestClient, county_user: str) -> None:
    _sign_in_as(web, county_user, "county-password")
    data = web.get(f"/api/v1/situation?period=year&date={DAY}").json()
    assert [r["code"] for r in data["regions"]] == ["330108"]
    page = web.get(f"/situation?period=year&date={DAY}").text
    assert "330106" not in page and "西湖区" not in page
    # Asking for a neighbour's region gives an empty screen, not the neighbour's figures.
    other = web.get(f"/api/v1/situation?period=year&date={DAY}&region=330106").json()
    assert other["totals"]["bids"] == 0 and sum(other["totals"]["open"].values()) == 0
    listed = web.get(f"/situation/list?kind=bids&period=year&date={DAY}&region=330106").text
    assert TOTAL.search(listed).group(1) == "0"  # type: ignore[union-attr]


def test_stream_once_sends_the_current_snapshot(web: TestClient) -> None:
    sign_in(web, "inspector")
    api = web.get(f"/api/v1/situation?period=year&date={DAY}").json()
    response = web.get(f"/situation/stream?period=year&date={DAY}&max_events=1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert [e["event"] for e in events] == ["snapshot"]
    assert json.loads(events[0]["data"]) == api


def _events(text: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if "event" in fields:
            out.append(fields)
    return out


@pytest.fixture
def live_url(situation: Situation) -> Iterator[str]:
    with running_server(situation.province.settings) as url:
        yield url


def test_stream_sends_a_new_snapshot_when_a_warning_is_committed(live_url: str, situation: Situation) -> None:
    """A real server: the first snapshot arrives at once; after a red warning is committed by someone
    else (here the test, as detection would), the next one carries the new count."""
    with httpx.Client(base_url=live_url, timeout=60) as client:
        token = CSRF_RE.search(client.get("/login").text)
        assert token
        signed = client.post(
            "/login",
            data={"username": "demo-inspector", "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed.status_code in (200, 303)
        seen: list[dict[str, object]] = []
        first = threading.Event()
        with client.stream("GET", f"/situation/stream?period=year&date={DAY}&max_events=2") as stream:
            assert stream.status_code == 200
            block: list[str] = []
            for line in stream.iter_lines():
                if line:
                    block.append(line)
                    continue
                fields = dict(x.split(": ", 1) for x in block if not x.startswith(":") and ": " in x)
                block = []
                if fields.get("event") != "snapshot":
                    continue
                seen.append(json.loads(fields["data"]))
                if not first.is_set():
                    first.set()
                    _commit_red_warning(situation)
    try:
        assert len(seen) == 2
        before, after = seen
        assert after["totals"]["open"]["red"] == before["totals"]["open"]["red"] + 1  # type: ignore[index]
        assert after["totals"]["raised"]["red"] == before["totals"]["raised"]["red"] + 1  # type: ignore[index]
        assert after["digest"] != before["digest"]
    finally:
        with situation.province.db.transaction() as session:
            session.execute(delete(Warning).where(Warning.fingerprint == "situation-test|section|S-LIVE"))


def _commit_red_warning(situation: Situation) -> None:
    with situation.province.db.transaction() as session:
        session.add(
            Warning(
                fingerprint="situation-test|section|S-LIVE",
                section_code="S-LIVE",
                subject_type="section",
                subject_id="S-LIVE",
                region_code="330106",
                industry="building",
                grade="red",
                grade_reason_zh="测试",
                grade_reason_en="test",
                explanation_zh="测试",
                explanation_en="test",
                first_raised_at=datetime(2025, 10, 23, 3, 0),
            )
        )


def test_page_in_english(web: TestClient) -> None:
    sign_in(web, "model_owner")
    web.get("/lang/en?next=/")
    page = web.get(f"/situation?period=month&date={DAY}").text
    assert "<h1>Overall situation</h1>" in page
    assert "Hangzhou" in page and "m yuan" in page
    assert "Top problem projects" in page


def test_the_stream_keeps_to_the_readers_jurisdiction(web: TestClient, county_user: str) -> None:
    _sign_in_as(web, county_user, "county-password")
    events = _events(web.get(f"/situation/stream?period=year&date={DAY}&max_events=1").text)
    snapshot = json.loads(events[0]["data"])
    assert [r["code"] for r in snapshot["regions"]] == ["330108"]
    assert snapshot == web.get(f"/api/v1/situation?period=year&date={DAY}").json()


def test_the_stream_refuses_who_may_not_see_the_screen(web: TestClient) -> None:
    assert web.get("/situation/stream?max_events=1", follow_redirects=False).status_code in (302, 303, 307)
    sign_in(web, "admin")
    assert web.get("/situation/stream?max_events=1").status_code == 403


def test_lists_mask_persons_id_numbers(web: TestClient, situation: Situation) -> None:
    """Warnings on a person name them by ID number; the list shows it masked (the warning's own page
    shows it whole and records that view)."""
    with situation.province.db.session() as session:
        person = session.scalars(select(Warning).where(Warning.subject_type == "person")).first()
    assert person is not None
    sign_in(web, "inspector")
    listed = web.get(f"/situation/list?kind=open_warnings&region={person.region_code}").text
    assert f'id="warning-{person.id}"' in listed
    assert person.subject_id not in listed
    assert person.subject_id[:6] + "********" + person.subject_id[-4:] in listed


def test_an_empty_period_points_at_the_latest_records(web: TestClient) -> None:
    sign_in(web, "inspector")
    page = web.get("/situation?period=month&date=2030-01-15").text
    assert 'id="situation-empty"' in page
    latest = web.get("/api/v1/situation?period=month&date=2030-01-15").json()["latest"]
    assert latest and latest < "2030-01-01"
    assert f"date={latest}" in page

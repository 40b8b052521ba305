"""The section page and its API: content in zh and en, jurisdiction refusals, one audit record per view."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.warning.models import Warning
from tests.section.conftest import Served


def _views(served: Served, code: str) -> int:
    with served.province.db.session() as session:
        query = select(func.count()).where(
            AuditEvent.action == "view_personal",
            AuditEvent.subject_type == "section",
            AuditEvent.subject_id == code,
        )
        return int(session.scalar(query) or 0)


def _warned_section(served: Served) -> tuple[str, Warning]:
    code = served.scheme("C01", "same_machine_composite")["sections"][0]
    with served.province.db.session() as session:
        warning = session.scalars(select(Warning).where(Warning.section_code == code)).first()
        assert warning is not None
        return code, warning


def test_page_in_chinese_shows_every_panel_and_the_planted_pair(
    served: Served, as_role: Callable[[str], TestClient]
) -> None:
    code, warning = _warned_section(served)
    pair = served.scheme("C01", "same_machine_composite")["companies"]
    before = _views(served, code)
    page = as_role("inspector").get(f"/sections/{code}")
    assert page.status_code == 200
    text = page.text
    for panel in ('id="bid-chart"', 'id="screen-table"', 'id="fingerprint-table"', 'id="personnel-table"',
                  'id="score-chart"', 'id="section-graph"', 'id="warning-list"'):  # fmt: skip
        assert panel in text
    assert "最高投标限价" in text and "报价筛查" in text and "变异系数" in text
    assert f'href="/warnings/{warning.id}"' in text
    # The planted pair's machine code is marked shared in the side-by-side table and in the summary.
    assert text.count('class="shared"') >= 2
    assert all(u in text for u in pair)
    assert _views(served, code) == before + 1


def test_page_in_english(served: Served, as_role: Callable[[str], TestClient]) -> None:
    code, _warning = _warned_section(served)
    client = as_role("reviewer")
    client.get("/lang/en?next=/")
    text = client.get(f"/sections/{code}").text
    assert (
        "Control price (yuan)" in text and "Price screens" in text and "Coefficient of variation (CV)" in text
    )
    assert "Fingerprints side by side" in text and "Expert scores" in text


def test_api_answers_the_panels_and_records_one_view(
    served: Served, as_role: Callable[[str], TestClient]
) -> None:
    code, warning = _warned_section(served)
    before = _views(served, code)
    body = as_role("model_owner").get(f"/api/v1/sections/{code}").json()
    assert body["header"]["section_code"] == code
    assert [s["name"] for s in body["screens"]] == ["cv", "spd", "diffp", "rd", "kurt", "skew", "kstest"]
    assert warning.id in [w["id"] for w in body["warnings"]]
    assert body["graph_url"] == f"/api/v1/sections/{code}/graph"
    assert _views(served, code) == before + 1
    graph = as_role("model_owner").get(body["graph_url"]).json()
    assert {f"company:{u}" for u in served.scheme("C01", "same_machine_composite")["companies"]} <= {
        n["id"] for n in graph["nodes"]
    }


def test_other_regions_and_industries_get_404_like_a_missing_code(
    served: Served,
    user_with: Callable[[str, str, list[str]], str],
    as_user: Callable[[str], TestClient],
) -> None:
    code, _warning = _warned_section(served)
    with served.province.db.session() as session:
        section = session.scalars(select(Warning).where(Warning.section_code == code)).first()
        assert section is not None
        region, industry = section.region_code, section.industry or "building"
    neighbour = "330108" if not region.startswith("3301") else "330282"
    other_industry = "water" if industry != "water" else "transport"
    for username in (
        user_with("inspector", neighbour, []),
        user_with("regulator", region[:4], [other_industry]),
    ):
        client = as_user(username)
        assert client.get(f"/sections/{code}").status_code == 404
        assert client.get(f"/api/v1/sections/{code}").status_code == 404
        assert client.get(f"/api/v1/sections/{code}/graph").status_code == 404
        assert f'href="/sections/{code}"' not in client.get(f"/sections?q={code}").text
        client.cookies.clear()
    allowed = as_user(user_with("regulator", region[:4], [industry]))
    assert allowed.get(f"/sections/{code}").status_code == 200
    assert (
        allowed.get(f"/sections?q={code}", follow_redirects=False).headers["location"] == f"/sections/{code}"
    )


def test_roles_without_analysis_are_refused(
    served: Served, as_role: Callable[[str], TestClient], client: TestClient
) -> None:
    code, _warning = _warned_section(served)
    anonymous = client.get(f"/sections/{code}", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 307) and anonymous.headers["location"].startswith("/login")
    assert client.get(f"/api/v1/sections/{code}").status_code == 401
    steward = as_role("data_steward")
    assert steward.get(f"/sections/{code}").status_code == 403
    assert steward.get(f"/api/v1/sections/{code}").status_code == 403
    assert 'href="/sections"' not in steward.get("/").text


def test_search_lists_sections_of_the_jurisdiction_only(
    served: Served, user_with: Callable[[str, str, list[str]], str], as_user: Callable[[str], TestClient]
) -> None:
    client = as_user(user_with("inspector", "3301", []))
    text = client.get("/sections").text
    listed = set(re.findall(r'href="/sections/([^"]+)"', text))
    assert listed and all(_region_of(served, code).startswith("3301") for code in listed)


def _region_of(served: Served, code: str) -> str:
    con = served.province.con()
    try:
        row = con.execute("SELECT region_code FROM sections WHERE section_code = ?", [code]).fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


def test_the_warning_page_links_to_its_section(served: Served, as_role: Callable[[str], TestClient]) -> None:
    code, warning = _warned_section(served)
    client = as_role("inspector")
    assert f'href="/sections/{code}"' in client.get(f"/warnings/{warning.id}").text
    assert f'href="/sections/{code}"' in client.get(f"/warnings?section={code}").text

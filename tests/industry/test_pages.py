"""The industry pages and their JSON twins: who gets in, what each reader sees, the planted conflict with
its warning, masked ID numbers, the audit trail of personal views and exports, zh and en."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.auth import service as auth_service
from tenderwatch.db import Database
from tenderwatch.industry.views import mask_id
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.web.app import create_app
from tests.analysis.lake import files
from tests.industry.conftest import PASSWORD, IndustryProvince, sign_in


def events(province: IndustryProvince, actor: str, action: str) -> list[AuditEvent]:
    with province.db.session() as session:
        query = select(AuditEvent).where(AuditEvent.actor == actor, AuditEvent.action == action)
        return list(session.scalars(query.order_by(AuditEvent.seq)))


def table(text: str) -> str:
    """The list part of a page (the search box and the language link echo what was asked)."""
    return text.split('id="industry-table"', 1)[1]


def test_who_gets_in(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    anonymous = TestClient(app, raise_server_exceptions=False)
    assert anonymous.get("/industry", follow_redirects=False).headers["location"].startswith("/login")
    assert anonymous.get("/api/v1/industry").status_code == 401
    for user in ("ind-regulator", "ind-inspector", "ind-admin"):
        client = sign_in(app, user)
        for path in (
            "/industry",
            "/industry/construction",
            "/api/v1/industry",
            "/api/v1/industry/construction",
        ):
            assert client.get(path).status_code == 200, (user, path)
    for user in ("ind-reviewer", "ind-steward"):
        client = sign_in(app, user)
        assert client.get("/industry").status_code == 403
        assert client.get("/api/v1/industry/construction").status_code == 403
        assert 'href="/industry"' not in client.get("/").text  # no nav link either
    assert 'href="/industry"' in sign_in(app, "ind-regulator").get("/").text


def test_the_department_dashboard(province: IndustryProvince, app: FastAPI) -> None:
    client = sign_in(app, "ind-regulator")
    page = client.get("/industry")
    assert page.status_code == 200
    assert "行业监管" in page.text and 'id="count-projects"' in page.text
    data = client.get("/api/v1/industry", params={"list": "projects"}).json()
    assert data["scope"] == [{"region_prefix": province.plant.city, "industries": [province.plant.industry]}]
    assert data["items"] and all(i["industry"] == province.plant.industry for i in data["items"])
    assert data["missing_datasets"] == []
    # Paging: the second page continues the first, and the pages add up to the total.
    total, seen = data["total"], []
    for page_no in range(1, data["pages"] + 1):
        items = client.get("/api/v1/industry", params={"list": "projects", "page": page_no}).json()["items"]
        seen += [i["tender_project_code"] for i in items]
    assert len(seen) == len(set(seen)) == total
    units = client.get("/industry", params={"list": "units", "q": province.plant.firm})
    assert f'href="/credit/subjects/{province.plant.firm}"' in units.text


def test_key_personnel_masked_and_each_view_recorded(province: IndustryProvince, app: FastAPI) -> None:
    client = sign_in(app, "ind-regulator")
    before = len(events(province, "ind-regulator", "view_personal"))
    page = client.get("/industry", params={"list": "personnel", "q": province.plant.pm})
    assert mask_id(province.plant.pm) in table(page.text) and province.plant.pm not in table(page.text)
    after = events(province, "ind-regulator", "view_personal")
    assert len(after) == before + 1  # one event per page view
    assert after[-1].subject_id == "dashboard/personnel" and after[-1].details["unmasked"] is False
    shown = client.get("/industry", params={"list": "personnel", "q": province.plant.pm, "show_ids": "1"})
    assert province.plant.pm in table(shown.text)
    last = events(province, "ind-regulator", "view_personal")[-1]
    assert last.details["unmasked"] is True and last.personal_hash is not None
    # The JSON twin masks too unless asked.
    item = client.get("/api/v1/industry", params={"list": "personnel", "q": province.plant.pm}).json()[
        "items"
    ][0]
    assert item["person_id"] == mask_id(province.plant.pm)
    # A list without persons records nothing.
    count = len(events(province, "ind-regulator", "view_personal"))
    client.get("/industry", params={"list": "units"})
    assert len(events(province, "ind-regulator", "view_personal")) == count


def test_the_conflict_and_its_warning(province: IndustryProvince, app: FastAPI) -> None:
    plant = province.plant
    client = sign_in(app, "ind-regulator")
    sites = client.get("/industry/construction")
    assert f'data-site="{plant.site}"' in sites.text
    row = sites.text.split(f'data-site="{plant.site}"')[1].split("</tr>")[0]
    assert "项目经理冲突" in row  # highlighted
    page = client.get("/industry/construction", params={"list": "conflicts", "q": plant.site})
    assert plant.site in page.text and all(s in page.text for s in plant.other_sites)
    assert f'href="/warnings/{province.c20_warning}"' in page.text
    data = client.get("/api/v1/industry/construction", params={"list": "conflicts", "q": plant.site}).json()
    conflict: dict[str, Any] = next(i for i in data["items"] if plant.site in (i["a_site"], i["b_site"]))
    assert province.c20_warning in conflict["warnings"]
    assert conflict["pm"] == mask_id(plant.pm)
    listed = client.get("/api/v1/industry/construction", params={"list": "warnings"}).json()
    assert province.c20_warning in [w["id"] for w in listed["items"]]
    # The warning itself opens for the same regulator.
    assert client.get(f"/warnings/{province.c20_warning}").status_code == 200


def test_changes_after_award_say_what_the_data_cannot(province: IndustryProvince, app: FastAPI) -> None:
    client = sign_in(app, "ind-regulator")
    page = client.get("/industry/construction", params={"list": "changes"})
    assert f'data-section="{province.plant.change_section}"' in page.text
    assert 'id="no-change-records"' in page.text and "无记录" in page.text


def test_an_administrator_gets_no_warnings(province: IndustryProvince, app: FastAPI) -> None:
    client = sign_in(app, "ind-admin")
    data = client.get("/api/v1/industry/construction", params={"list": "warnings"}).json()
    assert data["items"] == [] and data["counts"]["warnings"] == 0
    assert 'id="warnings-not-shown"' in client.get("/industry/construction", params={"list": "warnings"}).text
    # ... but every industry of the province, with the selector.
    page = client.get("/industry", params={"industry": "water"})
    assert 'id="industry-select"' in page.text
    water = client.get("/api/v1/industry", params={"industry": "water"}).json()
    assert water["items"] and {i["industry"] for i in water["items"]} == {"water"}


def test_narrowing_by_industry_and_county(province: IndustryProvince, app: FastAPI) -> None:
    plant = province.plant
    water = sign_in(app, "ind-water")
    assert plant.site not in table(water.get("/industry/construction", params={"q": plant.site}).text)
    projects = water.get("/api/v1/industry").json()
    assert all(i["industry"] == "water" for i in projects["items"])
    # Asking for another industry than one's own gives nothing, not an error.
    building = water.get("/api/v1/industry", params={"industry": plant.industry}).json()
    assert building["total"] == 0 and building["scope"] == []
    neighbour = sign_in(app, "ind-neighbour")
    for list_ in ("sites", "conflicts", "changes"):
        data = neighbour.get("/api/v1/industry/construction", params={"list": list_}).json()
        text = str(data["items"])
        assert plant.site not in text and plant.change_section not in text, list_
    warnings = neighbour.get("/api/v1/industry/construction", params={"list": "warnings"}).json()
    assert province.c20_warning not in [w["id"] for w in warnings["items"]]


def test_exports_are_audited(province: IndustryProvince, app: FastAPI) -> None:
    client = sign_in(app, "ind-inspector")
    for list_ in ("projects", "units", "personnel", "sites", "conflicts", "changes"):
        before = len(events(province, "ind-inspector", "export"))
        response = client.get("/industry/export.csv", params={"list": list_})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
        total = client.get(
            "/api/v1/industry/construction"
            if list_ in ("sites", "conflicts", "changes")
            else "/api/v1/industry",
            params={"list": list_},
        ).json()["total"]
        assert len(rows) == total, list_
        exported = events(province, "ind-inspector", "export")
        assert len(exported) == before + 1
        assert exported[-1].subject_id == list_ and exported[-1].details["rows"] == total
    personnel = client.get("/industry/export.csv", params={"list": "personnel", "q": province.plant.pm}).text
    assert province.plant.pm in personnel  # the file has full ID numbers; the audit trail knows who took it
    assert events(province, "ind-inspector", "export")[-1].personal_hash is not None


def test_pages_in_chinese_and_english(app: FastAPI) -> None:
    client = sign_in(app, "ind-regulator")
    zh = client.get("/industry/construction").text
    assert "在建项目" in zh and "项目经理冲突" in zh
    client.get("/lang/en", params={"next": "/industry"})
    en = client.get("/industry").text
    assert "Industry supervision" in en and "Key personnel" in en
    assert "Manager conflicts" in client.get("/industry/construction").text


def test_a_list_without_its_data_says_so(db: Database, tmp_path: Path) -> None:
    """The hand-made lake of tests/analysis has projects, bids and personnel but no registry of projects
    under construction: the construction lists say so instead of looking empty."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    for dataset, text in files().items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    assert all(r.status == "committed" for r in ingest_paths(db, [folder]))
    with db.transaction() as session:
        auth_service.create_user(
            db_session=session,
            username="gap-admin",
            display_name="gap",
            password=PASSWORD,
            grants=[("admin", "33", [])],
        )
    client = sign_in(create_app(db.settings), "gap-admin")
    page = client.get("/industry/construction")
    assert 'id="no-data"' in page.text and 'href="/catalog/construction_projects"' in page.text
    assert client.get("/api/v1/industry/construction").json()["missing_datasets"] == ["construction_projects"]
    projects = client.get("/api/v1/industry").json()
    assert projects["missing_datasets"] == [] and [i["tender_project_code"] for i in projects["items"]] == [
        "TP1"
    ]
    assert 'id="no-data"' not in client.get("/industry").text

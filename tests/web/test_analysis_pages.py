"""Warnings, model library, correlation graph and collision pages and API, on both database
backends, over the hand-made lake of tests/analysis and two warnings written here."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tenderwatch.db import Database
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.warning.models import Warning, WarningEvent
from tests.analysis.lake import A, B, C, files

LEGAL = "《招标投标法实施条例》第四十条第（一）项：不同投标人的投标文件由同一单位或者个人编制"


def _warning(grade: str, section: str, region: str, model: str, entities: list[str]) -> Warning:
    return Warning(
        fingerprint=f"{section}|section|{section}",
        section_code=section,
        subject_type="section",
        subject_id=section,
        region_code=region,
        industry="building",
        grade=grade,
        grade_reason_zh=f"{model} 命中法定情形的直接证据",
        grade_reason_en=f"{model}: hard evidence of a statutory ground",
        entities=entities,
        models=[
            {
                "id": model,
                "version": 1,
                "severity": grade,
                "rules": ["disk_serial"],
                "explanation_zh": "文件制作机器码一致：涉及两家企业",
                "explanation_en": "Same file-making machine",
            }
        ],
        legal_basis=[{"zh": LEGAL, "en": "Implementing Regulations Art. 40(1)", "model": model}],
        evidence=[
            {
                "model": model,
                "entity": e,
                "rule": "disk_serial",
                "severity": grade,
                "dataset": "bid_fingerprints",
                "key": f"{section}|{e}",
                "field": "disk_serial",
                "value": "DISK1",
            }
            for e in entities
        ],
        explanation_zh="文件制作机器码一致：涉及两家企业",
        explanation_en="Same file-making machine: two bidders",
        benign=[
            {"zh": "虚拟机或克隆系统镜像", "en": "Virtual machines or cloned disk images", "model": model}
        ],
        hit_ids=[],
        events=[WarningEvent(kind="raised", detail={"grade": grade})],
    )


@pytest.fixture
def inspector(
    db: Database, client_as: Callable[[str], TestClient], tmp_path_factory: pytest.TempPathFactory
) -> TestClient:
    folder = tmp_path_factory.mktemp("delivery")
    for dataset, text in files().items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    assert all(r.status == "committed" and not r.rejected for r in ingest_paths(db, [folder]))
    with db.transaction() as session:
        session.add(_warning("red", "S2", "330106", "C01", [A, C]))
        session.add(_warning("orange", "S1", "330206", "C06", [A, B]))
    return client_as("inspector")


def test_analysis_needs_sign_in(client: TestClient) -> None:
    for path in ("/api/v1/warnings", "/api/v1/graph/search?q=x", "/api/v1/collision/presets"):
        assert client.get(path).status_code == 401
    assert client.get("/warnings", follow_redirects=False).status_code == 303
    assert client.post("/api/v1/collision", json={}).status_code in (401, 422)


def test_warning_list_filters_and_counts(inspector: TestClient) -> None:
    page = inspector.get("/warnings")
    assert page.status_code == 200 and "预警" in page.text and "/warnings/" in page.text
    data = inspector.get("/api/v1/warnings").json()
    assert data["total"] == 2 and data["by_grade"] == {"red": 1, "orange": 1, "yellow": 0}
    assert data["items"][0]["grade"] == "red"  # red first
    red = inspector.get("/api/v1/warnings?grade=red").json()
    assert [w["section_code"] for w in red["items"]] == ["S2"] and red["by_grade"]["orange"] == 1
    assert inspector.get("/api/v1/warnings?model=C06").json()["total"] == 1
    assert inspector.get("/api/v1/warnings?region=3302").json()["total"] == 1
    assert inspector.get("/api/v1/warnings?region=33&industry=water").json()["total"] == 0
    assert inspector.get("/api/v1/warnings?region=abc").status_code == 422
    fragment = inspector.get("/warnings?grade=red", headers={"HX-Request": "true"})
    assert (
        fragment.status_code == 200 and "<html" not in fragment.text and 'id="warning-table"' in fragment.text
    )
    assert "S1" not in fragment.text.split('id="warning-table"')[1].split("</table>")[0]


def test_warning_detail_page_and_api(inspector: TestClient) -> None:
    warning_id = inspector.get("/api/v1/warnings?grade=red").json()["items"][0]["id"]
    page = inspector.get(f"/warnings/{warning_id}")
    assert page.status_code == 200
    for text in (
        LEGAL,
        "虚拟机或克隆系统镜像",
        "DISK1",
        'href="/catalog/bid_fingerprints"',
        "命中法定情形",
        "/models/C01",
        f"/graph?node=company%3A{A}",
        "生成",
    ):
        assert text in page.text, text
    detail = inspector.get(f"/api/v1/warnings/{warning_id}").json()
    assert detail["evidence"][0]["dataset"] == "bid_fingerprints" and detail["events"][0]["kind"] == "raised"
    assert inspector.get("/warnings/999999").status_code == 404
    assert inspector.get("/api/v1/warnings/999999").json()["error"]["code"] == "http_404"
    inspector.get("/lang/en")
    assert "Implementing Regulations Art. 40(1)" in inspector.get(f"/warnings/{warning_id}").text


def test_model_library(inspector: TestClient) -> None:
    page = inspector.get("/models")
    assert page.status_code == 200 and 'href="/models/C01"' in page.text and "文件制作机器码一致" in page.text
    methodology = inspector.get("/models/C01")
    assert (
        methodology.status_code == 200
        and "<h2>Methodology</h2>" in methodology.text
        and "<table>" in methodology.text
    )
    assert inspector.get("/models/X99").status_code == 404


def test_graph_api_and_page(inspector: TestClient) -> None:
    hood = inspector.get(f"/api/v1/graph/neighbourhood?node=company:{A}&depth=1").json()
    ids = {n["id"] for n in hood["nodes"]}
    assert "device:disk_serial:DISK1" in ids and f"company:{B}" not in ids
    assert {e["relation_label"] for e in hood["edges"]} >= {"法定代表人", "基本存款账户"}
    path = inspector.get(f"/api/v1/graph/path?source={A}&target={C}").json()
    assert path["found"] and [n["id"] for n in path["nodes"]][1] == "device:disk_serial:DISK1"
    assert inspector.get("/api/v1/graph/neighbourhood?node=company:NOPE").status_code == 404
    assert inspector.get(f"/api/v1/graph/neighbourhood?node={A}&depth=3").status_code == 422
    found = inspector.get("/api/v1/graph/search?q=丙公司").json()
    assert found[0]["id"] == f"company:{C}"
    groups = inspector.get("/api/v1/graph/groups?min_sections=2").json()
    assert groups["total"] == 1 and {c["value"] for c in groups["items"][0]["companies"]} == {A, B}
    page = inspector.get(f"/graph?node=company:{A}&min_sections=2")
    assert page.status_code == 200 and "graph-config" in page.text and "/static/js/graph.js" in page.text
    assert "甲公司" in page.text  # the group table names its members
    assert inspector.get("/static/js/graph.js").status_code == 200


def test_collision_api(inspector: TestClient) -> None:
    presets = inspector.get("/api/v1/collision/presets").json()
    assert any(p["id"] == "bond_basic_account" for p in presets)
    body = {
        "left": {"dataset": "bid_bonds", "fields": ["payer_account", "bidder_uscc"]},
        "right": {"dataset": "companies", "fields": ["basic_account", "uscc"]},
        "part": "left",
    }
    result = inspector.post("/api/v1/collision", json=body).json()
    assert result["counts"]["matched_values"] == 1 and result["counts"]["left_only_records"] == 1
    assert [r["bond_id"] for r in result["rows"]] == ["BD2"]
    bad = inspector.post("/api/v1/collision", json={**body, "left": {"dataset": "nope", "fields": ["x"]}})
    assert bad.status_code == 400 and "数据共享清单" in bad.json()["error"]["message"]
    mismatch = {**body, "right": {"dataset": "companies", "fields": ["registered_capital", "uscc"]}}
    assert inspector.post("/api/v1/collision", json=mismatch).status_code == 400


def test_collision_page_and_export(inspector: TestClient) -> None:
    page = inspector.get("/collision?preset=personnel_social_insurance")
    assert page.status_code == 200 and 'id="count-match"' in page.text
    left = inspector.get("/collision?preset=personnel_social_insurance&part=left")
    assert "张二" in left.text
    refused = inspector.get("/collision?lk=bids.nope&rk=companies.uscc")
    assert refused.status_code == 400 and 'id="collision-error"' in refused.text
    export = inspector.get("/collision/export.xlsx?preset=personnel_social_insurance")
    assert export.status_code == 200 and export.headers["content-type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    assert len(book.sheetnames) == 4
    match, left_only, right_only = (
        list(book[name].iter_rows(values_only=True)) for name in book.sheetnames[1:]
    )
    assert (len(match), len(left_only), len(right_only)) == (3, 2, 3)  # header + 2, 1, 2 records
    assert inspector.get("/collision/export.xlsx?lk=x.y&rk=companies.uscc").status_code == 400

"""Upload → batch → rejects, through the pages and the API, on both database backends."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.web.app import create_app
from tests.web.conftest import csrf_of, sign_in
from tests.web.data import BAD_USCC, HEADER, projects_csv


def upload(client: TestClient, name: str, data: bytes, dataset: str = "") -> tuple[int, str, str]:
    token = csrf_of(client, "/upload")
    response = client.post(
        "/upload",
        data={"csrf_token": token, "dataset": dataset},
        files={"file": (name, data, "text/csv")},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", ""), response.text


def test_upload_reconciles_and_shows_reasons_per_locale(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("data_steward")
    status, location, _ = upload(client, "tender_projects.csv", projects_csv())
    assert status == 303 and re.fullmatch(r"/batches/\d+", location)
    batch_id = int(location.rsplit("/", 1)[1])

    page = client.get(location).text
    assert 'id="count-received">5<' in page
    assert 'id="count-accepted">3<' in page
    assert 'id="count-rejected">2<' in page
    assert "招标人统一社会信用代码" in page and "不是有效的统一社会信用代码" in page
    assert "必填字段“项目名称”为空" in page
    assert BAD_USCC in page
    assert 'id="flash"' in page
    assert 'id="flash"' not in client.get(location).text, "the import message is shown once"

    client.get("/lang/en")
    english = html.unescape(client.get(location).text)
    assert (
        "is not a valid Unified Social Credit Code" in english
        and "required field 'Project name' is empty" in english
    )

    api = client.get(f"/api/v1/batches/{batch_id}").json()
    assert (api["received"], api["accepted"], api["rejected"]) == (5, 3, 2)
    assert api["source"] == "upload" and api["uploaded_by"] == "demo-data-steward"
    assert api["file_name"] == "tender_projects.csv" and api["dataset"] == "tender_projects"
    rejects = client.get(f"/api/v1/batches/{batch_id}/rejects").json()
    assert rejects["total"] == 2
    assert {(r["line"], r["field"], r["code"]) for r in rejects["items"]} == {
        (5, "tenderer_uscc", "bad_uscc"),
        (6, "name", "required"),
    }

    exported = client.get(f"/batches/{batch_id}/rejects.csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [row["line"] for row in rows] == ["5", "6"]
    assert rows[0]["tenderer_uscc"] == BAD_USCC and "统一社会信用代码" in rows[0]["reason_zh"]

    listing = client.get("/api/v1/batches?dataset=tender_projects").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == batch_id
    assert client.get("/api/v1/batches?dataset=bids").json()["total"] == 0


def test_second_upload_of_the_same_file_points_to_the_first(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("admin")
    _, first, _ = upload(client, "tender_projects.csv", projects_csv())
    status, again, _ = upload(client, "copy.csv", projects_csv(), dataset="tender_projects")
    assert status == 303 and again == first
    assert "内容相同" in client.get(again).text


def test_upload_problems_are_reported_on_the_form(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("data_steward")
    status, _, text = upload(client, "mystery.csv", b"a,b\n1,2\n")
    assert status == 400 and "无法判断属于哪个数据集" in text
    status, _, text = upload(client, "x.csv", b"a\n", dataset="no_such_dataset")
    assert status == 400 and "未知的数据集" in text
    token = csrf_of(client, "/upload")
    missing = client.post("/upload", data={"csrf_token": token, "dataset": ""})
    assert missing.status_code == 400
    no_csrf = client.post("/upload", files={"file": ("tender_projects.csv", projects_csv(), "text/csv")})
    assert no_csrf.status_code == 400 and "表单已过期" in no_csrf.text
    assert client.get("/api/v1/batches").json()["total"] == 0


def test_upload_is_for_data_stewards_and_admins(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("inspector")
    assert client.get("/upload").status_code == 403
    assert 'href="/upload"' not in client.get("/").text
    response = client.post("/upload", files={"file": ("tender_projects.csv", projects_csv(), "text/csv")})
    assert response.status_code == 403


def test_upload_size_limit(db: Database) -> None:
    settings = Settings(data_dir=db.settings.data_dir, database_url=db.settings.database_url, max_upload_mb=1)
    from tenderwatch.auth.flows import ensure_demo_accounts

    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    with TestClient(create_app(settings)) as client:
        sign_in(client, "data_steward")
        big = projects_csv() + b"x" * (2 * 1024 * 1024)
        status, _, text = upload(client, "tender_projects.csv", big)
        assert status == 413 and "1 MB" in text
    leftovers = (
        list((settings.data_dir / "uploads").glob("*")) if (settings.data_dir / "uploads").exists() else []
    )
    assert leftovers == [], "a refused upload leaves no file behind"


def test_batches_page_filters_and_paginates(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("data_steward")
    upload(client, "tender_projects.csv", projects_csv())
    page = client.get("/batches").text
    assert "tender_projects.csv" in page and "招标项目" in page and "已入库" in page
    assert "tender_projects.csv" not in client.get("/batches?dataset=bids").text
    fragment = client.get("/batches?dataset=tender_projects", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="batch-table">') and "<html" not in fragment
    assert client.get("/batches?page=0").status_code == 422
    assert client.get("/batches/999999").status_code == 404
    assert "没有被拒记录" not in client.get("/batches/1").text


def test_uploaded_temp_files_are_removed(client_as: Callable[[str], TestClient], db: Database) -> None:
    client = client_as("data_steward")
    upload(client, "tender_projects.csv", projects_csv())
    assert list((db.settings.data_dir / "uploads").glob("*")) == []


def test_rejects_paginate_and_chinese_file_names_work(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("data_steward")
    rows = [HEADER] + [f"BAD-{i:03d},,building,330106,{BAD_USCC},2025-03-01" for i in range(150)]
    status, location, _ = upload(client, "招标项目.csv", ("\n".join(rows) + "\n").encode("utf-8"))
    assert status == 303
    first = client.get(location).text
    assert "第 1 页，共 2 页" in first and first.count('<td class="num">') >= 100
    second = client.get(f"{location}?page=2", headers={"HX-Request": "true"}).text
    assert second.lstrip().startswith('<div id="reject-table">') and "BAD-149" in second
    exported = client.get(f"{location}/rejects.csv").content.decode("utf-8-sig").splitlines()
    assert len(exported) == 1 + 150
    batch = client.get(f"/api{location.replace('/batches', '/v1/batches')}").json()
    assert batch["file_name"] == "招标项目.csv" and batch["rejected"] == 150 and batch["accepted"] == 0


def test_quarantine_raw_records_only_for_stewards_and_admins(
    app: FastAPI, client_as: Callable[[str], TestClient]
) -> None:
    steward = client_as("data_steward")
    _, location, _ = upload(steward, "tender_projects.csv", projects_csv())
    batch_id = int(location.rsplit("/", 1)[1])
    for role in ("inspector", "regulator", "model_owner"):
        with TestClient(app, raise_server_exceptions=False) as other:
            sign_in(other, role)
            page = other.get(location)
            assert page.status_code == 200 and 'id="count-rejected">2<' in page.text
            # Counts and reasons per field, but neither the refused value nor the record as delivered.
            assert 'id="reject-summary"' in page.text and "仅数据管理员和系统管理员可见" in page.text
            assert "不是有效的统一社会信用代码" in page.text and "＊＊＊" in page.text
            assert BAD_USCC not in page.text and 'id="reject-table"' not in page.text
            assert other.get(f"{location}/rejects.csv").status_code == 403
            assert other.get(f"/api/v1/batches/{batch_id}/rejects").status_code == 403
    with TestClient(app, raise_server_exceptions=False) as admin:
        sign_in(admin, "admin")
        assert BAD_USCC in admin.get(location).text
        assert admin.get(f"{location}/rejects.csv").status_code == 200

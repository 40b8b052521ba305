"""The catalogue pages, template downloads and the catalogue API."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tenderwatch.catalog import get_catalog


def test_catalogue_lists_every_dataset(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("inspector")
    page = client.get("/catalog").text
    assert "数据共享清单" in page and "数源单位" in page and "更新频率" in page
    for dataset in get_catalog().datasets:
        assert f'href="/catalog/{dataset.id}"' in page and dataset.zh in page
    assert "公共资源交易中心" in page and "实时" in page and "接口推送" in page
    client.get("/lang/en")
    english = client.get("/catalog").text
    assert "Public resource trading centre" in english and "Real time" in english and "Push API" in english


def test_dataset_page(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("inspector")
    page = client.get("/catalog/bids").text
    assert "投标记录（含报价）" in page
    assert "投标人统一社会信用代码" in page and "Bidder USCC" in page, "both labels, whatever the locale"
    assert "<code>uscc</code>" in page
    assert 'href="/catalog/sections"' in page
    projects = client.get("/catalog/tender_projects").text
    assert "房建市政" in projects and "被引用于" in projects


def test_template_downloads(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("data_steward")
    csv_plain = client.get("/catalog/bids/template.csv")
    assert csv_plain.headers["content-type"].startswith("text/csv")
    assert 'filename="bids-template.csv"' in csv_plain.headers["content-disposition"]
    assert csv_plain.content.decode("utf-8-sig").startswith("section_code,bidder_uscc,")
    csv_zh = client.get("/catalog/bids/template.csv?labels=zh")
    assert csv_zh.content.decode("utf-8-sig").startswith("标段编号,")
    assert client.get("/catalog/bids/template.csv?labels=klingon").status_code == 422
    xlsx = client.get("/catalog/bids/template.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "bids"
    assert client.get("/catalog/nope/template.xlsx").status_code == 404


def test_catalogue_api(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("model_owner")
    listing = client.get("/api/v1/catalog").json()
    assert [d["id"] for d in listing] == [d.id for d in get_catalog().datasets]
    bids = next(d for d in listing if d["id"] == "bids")
    assert bids["source_unit_zh"] == "公共资源交易中心" and bids["key"] == ["section_code", "bidder_uscc"]
    detail = client.get("/api/v1/catalog/tender_projects").json()
    assert detail["dataset"]["fields"][0]["name"] == "tender_project_code"
    assert {"code": "building", "zh": "房建市政", "en": "Building and municipal works"} in detail["enums"][
        "industry"
    ]
    assert client.get("/api/openapi.json").status_code == 200

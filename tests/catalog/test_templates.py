"""Download templates: CSV with a BOM for Excel, XLSX with a field sheet; both import by header."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.service import header_map
from tenderwatch.catalog.templates import csv_template, xlsx_template


@pytest.mark.parametrize("dataset_id", [d.id for d in get_catalog().datasets])
def test_csv_template_headers_map_back_to_every_field(dataset_id: str) -> None:
    dataset = get_catalog().dataset(dataset_id)
    for labels in ("name", "zh", "en"):
        data = csv_template(dataset, labels)  # type: ignore[arg-type]
        assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
        headers = data.decode("utf-8-sig").rstrip("\r\n").split(",")
        assert len(headers) == len(dataset.fields)
        assert set(header_map(dataset, headers).values()) == set(dataset.field_names)


def test_csv_template_with_chinese_labels() -> None:
    dataset = get_catalog().dataset("bids")
    text = csv_template(dataset, "zh").decode("utf-8-sig")
    assert text.startswith("标段编号,投标人统一社会信用代码,")
    assert text.endswith("\r\n")


def test_xlsx_template_has_header_and_field_sheet() -> None:
    catalog = get_catalog()
    dataset = catalog.dataset("tender_projects")
    book = load_workbook(io.BytesIO(xlsx_template(dataset, catalog)))
    assert book.sheetnames == ["tender_projects", "字段说明 Fields"]
    header = [c.value for c in book["tender_projects"][1]]
    assert header == list(dataset.field_names)
    info = list(book["字段说明 Fields"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in info] == list(dataset.field_names)
    industry = next(row for row in info if row[0] == "industry")
    assert industry[1] == "行业" and "building=房建市政/Building and municipal works" in str(industry[7])

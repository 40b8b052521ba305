from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.schemas import Reference
from tenderwatch.ingest.readers import read_file
from tenderwatch.ingest.validate import validate
from tests.helpers import IDS, USCC

KNOWN_SECTIONS = pl.DataFrame({"section_code": ["S1"]})


def _keys(ref: Reference) -> pl.DataFrame | None:
    return KNOWN_SECTIONS if ref.dataset == "sections" else None


def _validate(tmp_path: Path, text: str, dataset: str = "bids") -> tuple[pl.DataFrame, dict[int, list[str]]]:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    catalog = get_catalog()
    result = validate(read_file(path), catalog.dataset(dataset), catalog, _keys)
    return result.accepted, {r.line: [e["code"] for e in r.errors] for r in result.rejects}


HEADER = "section_code,bidder_uscc,bidder_name,bid_price,submit_time,disqualified,rank,operator_id,operator_phone\n"


@pytest.mark.parametrize(
    ("row", "codes"),
    [
        (f"S1,{USCC[0]},甲,abc,2024-01-02 10:00:00,,,,", ["not_decimal"]),
        (f"S1,{USCC[0]},甲,1.234,2024-01-02 10:00:00,,,,", ["not_decimal"]),
        (f"S1,{USCC[0]},甲,-1,2024-01-02 10:00:00,,,,", ["below_min"]),
        (f"S1,{USCC[0]},甲,1,2024-02-30 10:00:00,,,,", ["not_datetime"]),
        (f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,maybe,,,", ["not_bool"]),
        (f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,0,,", ["below_min"]),
        (f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,1.5,,", ["not_int"]),
        (f"S1,{USCC[0][:-1]}0,甲,1,2024-01-02 10:00:00,,,,", ["bad_uscc"]),
        (
            f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,,{IDS[0][:-1]}{'0' if IDS[0][-1] != '0' else '1'},",
            ["bad_id_number"],
        ),
        (f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,,,12345", ["bad_phone"]),
        (f"S9,{USCC[0]},甲,1,2024-01-02 10:00:00,,,,", ["unknown_reference"]),
        (f"S1,{USCC[0]},-,1,2024-01-02 10:00:00,,,,", ["required"]),
        (f"S1,{USCC[0]},无,1,2024-01-02 10:00:00,,,,", ["required"]),
    ],
)
def test_each_defect_is_named(tmp_path: Path, row: str, codes: list[str]) -> None:
    accepted, rejects = _validate(tmp_path, HEADER + row + "\n")
    assert accepted.height == 0
    assert rejects == {2: codes}


def test_good_values_are_typed_and_normalised(tmp_path: Path) -> None:
    legacy15 = IDS[1][:6] + IDS[1][8:17]  # the same person's legacy 15-digit number
    row = f' S1 ,{USCC[0].lower()},甲,"1,234.5",2024/01/02 10:00,是,1,{legacy15},+86 138 0013 8000'
    accepted, rejects = _validate(tmp_path, HEADER + row + "\n")
    assert rejects == {}
    record = accepted.row(0, named=True)
    assert record["section_code"] == "S1"
    assert record["bidder_uscc"] == USCC[0]
    assert str(record["bid_price"]) == "1234.50"
    assert record["disqualified"] is True
    assert record["operator_id"] == IDS[1]
    assert record["operator_phone"] == "13800138000"


def test_chinese_headers_are_matched_and_unknown_columns_reported(tmp_path: Path) -> None:
    header = "标段编号,投标人统一社会信用代码,投标人名称,投标报价（元）,投标文件递交时间,备注\n"
    path = tmp_path / "f.csv"
    path.write_text(header + f"S1,{USCC[0]},甲,100,2024-01-02 10:00:00,x\n", encoding="utf-8")
    catalog = get_catalog()
    result = validate(read_file(path), catalog.dataset("bids"), catalog, _keys)
    assert result.accepted.height == 1
    assert result.unknown_columns == ["备注"]


def test_duplicate_keys_keep_the_first_and_reject_the_rest(tmp_path: Path) -> None:
    row = f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,,,"
    accepted, rejects = _validate(tmp_path, HEADER + row + "\n" + row + "\n" + row + "\n")
    assert accepted.get_column("_line").to_list() == [2]
    assert rejects == {3: ["duplicate_key"], 4: ["duplicate_key"]}


def test_missing_required_column_rejects_every_record(tmp_path: Path) -> None:
    text = "section_code,bidder_uscc,bidder_name,submit_time\n" + "".join(
        f"S1,{u},甲,2024-01-02 10:00:00\n" for u in USCC[:2]
    )
    accepted, rejects = _validate(tmp_path, text)
    assert accepted.height == 0
    assert rejects == {2: ["missing_column"], 3: ["missing_column"]}


def test_messages_name_the_field_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + f"S1,{USCC[0]},甲,abc,2024-01-02 10:00:00,,,,\n", encoding="utf-8")
    catalog = get_catalog()
    result = validate(read_file(path), catalog.dataset("bids"), catalog, _keys)
    reject = result.rejects[0]
    assert reject.field == "bid_price"
    assert "投标报价" in reject.message_zh and "abc" in reject.message_zh
    assert "Bid price" in reject.message_en
    assert reject.raw["bid_price"] == "abc"


def test_validation_in_slices_gives_the_same_result(tmp_path: Path) -> None:
    rows = [
        f"S1,{USCC[0]},甲,1,2024-01-02 10:00:00,,,,",
        f"S1,{USCC[1]},乙,abc,2024-01-02 10:00:00,,,,",
        f"S1,{USCC[0]},dup,1,2024-01-02 10:00:00,,,,",
        f"S9,{USCC[2]},丙,1,2024-01-02 10:00:00,,,,",
        f"S1,{USCC[3]},丁,2,2024-01-02 10:00:00,,,,",
    ]
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    catalog = get_catalog()
    whole = validate(read_file(path), catalog.dataset("bids"), catalog, _keys)
    sliced = validate(read_file(path), catalog.dataset("bids"), catalog, _keys, chunk_rows=2)
    assert sliced.accepted.equals(whole.accepted)
    assert [(r.line, r.errors) for r in sliced.rejects] == [(r.line, r.errors) for r in whole.rejects]
    assert [r.line for r in whole.rejects] == [3, 4, 5]

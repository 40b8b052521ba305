from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenderwatch.ingest.readers import FileProblem, read_file


def test_csv_keeps_physical_line_numbers_across_blank_and_multiline_records(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,2\n\n"multi\nline",3\n4,5\n', encoding="utf-8")
    table = read_file(path)
    assert table.rows == [["1", "2"], ["multi\nline", "3"], ["4", "5"]]
    assert table.lines == [2, 4, 6]


def test_a_stray_quote_rejects_one_line_and_the_rest_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n"broken,1\n2,3\n4,"x"y\n5,6\n7\n', encoding="utf-8")
    table = read_file(path)
    assert table.rows == [["2", "3"], ["5", "6"]]
    assert [(b.line, b.code) for b in table.broken] == [
        (2, "malformed_line"),
        (4, "malformed_line"),
        (6, "wrong_field_count"),
    ]
    assert table.received == 5


def test_gbk_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("名称,金额\n杭州市西湖区建设有限公司,100\n".encode("gbk"))
    table = read_file(path)
    assert table.encoding == "gb18030"
    assert table.headers == ["名称", "金额"]
    assert table.rows == [["杭州市西湖区建设有限公司", "100"]]


def test_utf8_bom_is_dropped_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffa,b\n1,2\n".encode())
    assert read_file(path).headers == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\n\n  \n", "empty_file"),
        (os.urandom(4096) + b"\x00", "binary_file"),
        (b"a,b\n\xff\xfe\xfd\xfc\x81\x30,1\n", "unknown_encoding"),
    ],
)
def test_unreadable_files_raise_a_file_problem(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as info:
        read_file(path)
    assert info.value.code == code
    assert info.value.message_zh and info.value.message_en


def test_jsonl_reports_bad_lines_and_non_objects(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1, "b": true}\n{broken\n[1, 2]\n{"a": null, "c": {"x": 1}}\n', encoding="utf-8")
    table = read_file(path)
    assert table.headers == ["a", "b", "c"]
    assert table.lines == [1, 4]
    assert table.rows[0] == ["1", "true", ""]
    assert table.rows[1][2].startswith("\x00")  # nested value kept so validation can name the field
    assert [(b.line, b.code) for b in table.broken] == [(2, "bad_json"), (3, "not_an_object")]


def test_xlsx_rows_and_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["a", "b", None])
    ws.append([3.0, "x"])
    ws.append([None, None])
    ws.append([1.5, "y"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    table = read_file(path)
    assert table.headers == ["a", "b"]
    assert table.rows == [["3", "x"], ["1.5", "y"]]
    assert table.lines == [2, 4]


def test_damaged_xlsx_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(FileProblem) as info:
        read_file(path)
    assert info.value.code == "bad_xlsx"

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from tenderwatch.ingest.readers import FileProblem, RawTable, read_file


def _rows(table: RawTable) -> list[list[str]]:
    return [list(r) for r in table.frame().drop("_line").rows()]


def _lines(table: RawTable) -> list[int]:
    return table.frame().get_column("_line").to_list()


def test_csv_keeps_physical_line_numbers_across_blank_and_multiline_records(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,2\n\n"multi\nline",3\n4,5\n', encoding="utf-8")
    table = read_file(path)
    assert _rows(table) == [["1", "2"], ["multi\nline", "3"], ["4", "5"]]
    assert _lines(table) == [2, 4, 6]


def test_a_stray_quote_rejects_one_line_and_the_rest_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n"broken,1\n2,3\n4,"x"y\n5,6\n7\n', encoding="utf-8")
    table = read_file(path)
    assert _rows(table) == [["2", "3"], ["5", "6"]]
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
    assert _rows(table) == [["杭州市西湖区建设有限公司", "100"]]


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
    assert _lines(table) == [1, 4]
    assert _rows(table)[0] == ["1", "true", ""]
    assert _rows(table)[1][2].startswith("\x00")  # nested value kept so validation can name the field
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
    assert _rows(table) == [["3", "x"], ["1.5", "y"]]
    assert _lines(table) == [2, 4]


def test_damaged_xlsx_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(FileProblem) as info:
        read_file(path)
    assert info.value.code == "bad_xlsx"


def test_fast_and_careful_csv_paths_agree(tmp_path: Path) -> None:
    body = 'a,b,c\n1,"x, with comma",\n2,,"q ""quoted"""\n3,三,四\n'
    fast = tmp_path / "fast.csv"
    fast.write_text(body, encoding="utf-8")
    careful = tmp_path / "careful.csv"
    careful.write_text(body.replace("\n", "\r\n"), encoding="utf-8")  # CRLF takes the careful path
    fast_table, careful_table = read_file(fast), read_file(careful)
    assert fast_table.fast_frame is not None and careful_table.rows != []
    assert (
        _rows(fast_table)
        == _rows(careful_table)
        == [["1", "x, with comma", ""], ["2", "", 'q "quoted"'], ["3", "三", "四"]]
    )
    assert _lines(fast_table) == _lines(careful_table) == [2, 3, 4]

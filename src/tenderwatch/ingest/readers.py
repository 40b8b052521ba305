"""Reading delivered files into rows of text, keeping each record's line number.

Every format ends as a ``RawTable``: headers, rows of strings and the line (CSV, JSON Lines) or sheet
row (XLSX) each came from. Values stay text here; typing is validation's job, so a bad value is
reported with its field rather than failing the read. A row that cannot even be split into fields
(wrong number of fields, broken JSON) becomes a ``BrokenRow`` and is rejected on its own line.
A file that cannot be read at all raises ``FileProblem`` with a reason a data steward understands.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

TEXT_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
SUPPORTED_SUFFIXES = (*TEXT_FORMATS, ".xlsx")
# Above this share of control characters a "text" file is binary: a real CSV has almost none.
_BINARY_CONTROL_SHARE = 0.02


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it can be accounted record by record."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(slots=True)
class BrokenRow:
    line: int
    code: str
    message_zh: str
    message_en: str
    raw: str


@dataclass(slots=True)
class RawTable:
    file_format: str
    encoding: str | None
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    broken: list[BrokenRow] = field(default_factory=list)
    sheet: str | None = None
    # Set by the fast CSV path instead of rows/lines: columns c0…cN (text) and _line.
    fast_frame: pl.DataFrame | None = None

    @property
    def received(self) -> int:
        return self.frame().height + len(self.broken)

    def frame(self) -> pl.DataFrame:
        """The records as text columns ``c0``…``cN`` plus ``_line``."""
        if self.fast_frame is None:
            names = [f"c{i}" for i in range(len(self.headers))]
            self.fast_frame = pl.DataFrame(
                self.rows, schema=dict.fromkeys(names, pl.String), orient="row"
            ).with_columns(_line=pl.Series(self.lines, dtype=pl.Int64))
        return self.fast_frame


def detect_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    return TEXT_FORMATS.get(suffix, "csv")


def read_file(path: Path, name: str | None = None, sheet: str | None = None) -> RawTable:
    """Read any supported file. ``name`` is the delivered name (an upload is stored under another)."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if len(head) == 0:
        raise FileProblem("empty_file", "文件为空（0字节）", "the file is empty (0 bytes)")
    file_format = detect_format(Path(name or path.name), head)
    if file_format == "xlsx":
        return _read_xlsx(path, sheet)
    data = path.read_bytes()
    if file_format in ("csv", "tsv"):
        # Most deliveries are plain UTF-8 CSV: hand the bytes to Polars without making a Python str
        # (which for Chinese text costs 2-4 bytes a character, twice over).
        _refuse_binary(data)
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        delimiter = (
            "\t" if file_format == "tsv" else _delimiter(body[: body.find(b"\n")].decode("utf-8", "replace"))
        )
        fast = _read_csv_fast(body, "utf-8", delimiter)
        if fast is not None:
            return fast
    text, encoding = decode_text(data)
    if text.strip() == "":
        raise FileProblem("empty_file", "文件没有任何内容", "the file has no content")
    if file_format == "jsonl":
        return _read_jsonl(text, encoding)
    return _read_csv(text, encoding, delimiter="\t" if file_format == "tsv" else None)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312).

    Why this order: valid UTF-8 is almost never valid-looking GBK by accident, while the reverse is
    common, so trying UTF-8 first does not misread Chinese text.
    """
    _refuse_binary(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "unknown_encoding",
            f"无法识别文件编码（既不是UTF-8也不是GBK/GB18030），第{exc.start}字节处出错",
            f"unknown text encoding (neither UTF-8 nor GBK/GB18030), error at byte {exc.start}",
        ) from exc


def _refuse_binary(data: bytes) -> None:
    sample = data[:65536]
    if b"\x00" in sample or _control_share(sample) > _BINARY_CONTROL_SHARE:
        raise FileProblem(
            "binary_file",
            "文件不是文本文件（含二进制内容），请上传CSV、XLSX或JSON Lines文件",
            "the file is binary, not text; deliver CSV, XLSX or JSON Lines",
        )


def _delimiter(header_line: str) -> str:
    # A header with more tabs (or semicolons) than commas tells us the delimiter Excel used.
    return max((",", "\t", ";"), key=header_line.count)


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / len(sample)


def _read_csv(text: str, encoding: str, delimiter: str | None) -> RawTable:
    if delimiter is None:
        delimiter = _delimiter(text.split("\n", 1)[0])
    physical = list(io.StringIO(text, newline=""))
    header = next(csv.reader([physical[0]], delimiter=delimiter), [])
    if len(header) == 0 or all(h.strip() == "" for h in header):
        raise FileProblem("no_header", "文件缺少表头行", "the file has no header row")
    table = RawTable(file_format="csv", encoding=encoding, headers=[h.strip() for h in header])
    width = len(header)
    position = 1  # index into ``physical`` of the next line to hand to the csv reader

    def feed() -> Iterator[str]:
        nonlocal position
        while position < len(physical):
            position += 1
            yield physical[position - 1]

    reader = csv.reader(feed(), delimiter=delimiter, strict=True)
    while True:
        start = position  # 0-based index of the record's first line; its line number is start + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # A stray or unclosed quote: reject the line where the record began and resume on the next
            # line, so one bad quote never swallows the records after it.
            table.broken.append(
                BrokenRow(
                    start + 1,
                    "malformed_line",
                    f"引号不匹配或格式错误，无法解析该行（{exc}）",
                    f"cannot parse line: {exc}",
                    physical[start].rstrip("\r\n")[:2000],
                )
            )
            position = start + 1
            reader = csv.reader(feed(), delimiter=delimiter, strict=True)
            continue
        if len(row) == 0 or all(cell.strip() == "" for cell in row):
            continue  # blank lines are layout, not records
        if len(row) != width:
            table.broken.append(
                BrokenRow(
                    start + 1,
                    "wrong_field_count",
                    f"字段个数为{len(row)}，表头为{width}个",
                    f"{len(row)} fields where the header has {width}",
                    delimiter.join(row)[:2000],
                )
            )
            continue
        table.rows.append(row)
        table.lines.append(start + 1)
    return table


def _read_csv_fast(data: bytes, encoding: str, delimiter: str) -> RawTable | None:
    """Polars' CSV reader for the common case: UTF-8, one record per line, no blank or ragged lines.

    Line numbers are exact only then, so anything else (invalid UTF-8 such as GBK, a parse error, a
    quoted line break, a blank line) returns None and the careful line-by-line reader takes over.
    """
    if b"\r" in data or b"\n\n" in data or data.startswith(b"\n") or data.strip() == b"":
        return None
    body_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1
    try:
        frame = pl.read_csv(
            data,
            encoding="utf8",
            separator=delimiter,
            infer_schema=False,
            has_header=False,
            quote_char='"',
            raise_if_empty=True,
        )
    except Exception:
        return None
    if frame.height != body_lines + 1:
        return None
    header = [str(v).strip() if v is not None else "" for v in frame.row(0)]
    if len(header) == 0 or all(h == "" for h in header):
        return None
    frame = frame.slice(1).rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    frame = frame.with_columns(
        pl.all().fill_null(""), _line=pl.int_range(2, frame.height + 2, dtype=pl.Int64)
    )
    return RawTable(file_format="csv", encoding=encoding, headers=header, fast_frame=frame)


def _read_jsonl(text: str, encoding: str) -> RawTable:
    table = RawTable(file_format="jsonl", encoding=encoding, headers=[])
    seen: dict[str, None] = {}
    records: list[tuple[int, dict[str, Any]]] = []
    stripped = text.lstrip()
    if stripped.startswith("["):
        # A JSON array of records is accepted too; its records have no lines of their own, so the
        # position in the array (1-based) is reported as the line.
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileProblem("bad_json", f"JSON格式错误：{exc}", f"invalid JSON: {exc}") from exc
        enumerated: list[tuple[int, Any]] = list(enumerate(items, start=1))
    else:
        enumerated = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if raw.strip() == "":
                continue
            try:
                enumerated.append((number, json.loads(raw)))
            except json.JSONDecodeError as exc:
                table.broken.append(
                    BrokenRow(
                        number, "bad_json", f"JSON格式错误：{exc.msg}", f"invalid JSON: {exc.msg}", raw[:2000]
                    )
                )
    for number, item in enumerated:
        if not isinstance(item, dict):
            table.broken.append(
                BrokenRow(
                    number,
                    "not_an_object",
                    "该行不是JSON对象",
                    "the line is not a JSON object",
                    str(item)[:2000],
                )
            )
            continue
        records.append((number, item))
        for key in item:
            seen.setdefault(str(key), None)
    table.headers = list(seen)
    for number, item in records:
        table.rows.append([_json_cell(item.get(h)) for h in table.headers])
        table.lines.append(number)
    return table


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        # Kept as JSON text so validation rejects it with the field named, instead of dropping it.
        return "\x00" + json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(
            "bad_xlsx",
            f"XLSX文件已损坏或不是Excel文件：{exc}",
            f"the XLSX file is damaged or not Excel: {exc}",
        ) from exc
    try:
        names = workbook.sheetnames
        chosen = sheet if sheet in names else names[0]
        rows = workbook[chosen].iter_rows(values_only=True)
        table = RawTable(file_format="xlsx", encoding=None, headers=[], sheet=chosen)
        try:
            header = next(rows)
        except StopIteration as exc:
            raise FileProblem(
                "no_header", "工作表为空，缺少表头行", "the sheet is empty; no header row"
            ) from exc
        width = len(header)
        while width > 0 and header[width - 1] in (None, ""):
            width -= 1  # Excel often reports trailing empty columns
        table.headers = [_xlsx_cell(h).strip() for h in header[:width]]
        for number, values in enumerate(rows, start=2):
            cells = [_xlsx_cell(v) for v in values[:width]]
            if all(c.strip() == "" for c in cells):
                continue
            cells += [""] * (width - len(cells))
            table.rows.append(cells)
            table.lines.append(number)
        return table
    finally:
        workbook.close()


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S")
            if (value.hour, value.minute, value.second) != (0, 0, 0)
            else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # Excel stores every number as a float; 3.0 was typed as 3
    return str(value)

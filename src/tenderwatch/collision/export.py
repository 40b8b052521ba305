"""A collision as an XLSX workbook: the question and the counts, then one sheet per part."""

from __future__ import annotations

import io
from typing import Any

import duckdb
from openpyxl import Workbook

from tenderwatch.collision.service import Collision, Counts, Part, part_sql
from tenderwatch.web.i18n import N_, translate

# A sheet holds about a million rows; far fewer are readable, and the cap keeps memory bounded.
MAX_ROWS_PER_SHEET = 100_000
CHUNK = 5_000

PART_TITLES: dict[Part, str] = {
    "match": N_("Matches"),
    "left": N_("Left only"),
    "right": N_("Right only"),
}
COUNT_LABELS: dict[str, str] = {
    "left_records": N_("Left records"),
    "right_records": N_("Right records"),
    "left_null_keys": N_("Left records with an empty key (never match)"),
    "right_null_keys": N_("Right records with an empty key (never match)"),
    "matched_values": N_("Key values on both sides"),
    "left_only_values": N_("Key values only on the left"),
    "right_only_values": N_("Key values only on the right"),
    "left_matched_records": N_("Left records that match"),
    "right_matched_records": N_("Right records that match"),
    "left_only_records": N_("Left-only records"),
    "right_only_records": N_("Right-only records"),
}


def _cell(value: Any) -> Any:
    # openpyxl writes numbers, dates and text; Decimal and the rest go as text to keep their digits.
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _headers(columns: list[str], collision: Collision, part: Part, locale: str) -> list[str]:
    dataset = collision.right.dataset if part == "right" else collision.left.dataset
    names = set(dataset.field_names)
    special = {
        "_batch_id": translate(locale, "Batch"),
        "_matches": translate(locale, "Matching right records"),
    }
    return [dataset.field(c).label(locale) if c in names else special.get(c, c) for c in columns]


def workbook(
    con: duckdb.DuckDBPyConnection, collision: Collision, counts: Counts, title: str, locale: str
) -> bytes:
    book = Workbook(write_only=True)
    summary = book.create_sheet(translate(locale, "Summary"))
    summary.append([title])
    for label, side in (
        (translate(locale, "Left"), collision.left),
        (translate(locale, "Right"), collision.right),
    ):
        keys = ", ".join(side.dataset.field(f).label(locale) for f in side.fields)
        filters = "; ".join(f"{f.field} {f.op} {f.value}" for f in side.filters)
        summary.append([label, f"{side.dataset.name(locale)} ({side.dataset.id})", keys, filters])
    summary.append([])
    for name, label in COUNT_LABELS.items():
        summary.append([translate(locale, label), getattr(counts, name)])
    for part, part_title in PART_TITLES.items():
        sheet = book.create_sheet(translate(locale, part_title))
        _, sql = part_sql(collision, part)
        cursor = con.execute(f"{sql} LIMIT {MAX_ROWS_PER_SHEET}")
        columns = [d[0] for d in cursor.description or []]
        sheet.append(_headers(columns, collision, part, locale))
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Download templates for a dataset: the header row a data steward fills in.

CSV is UTF-8 with a byte-order mark, because Excel on Windows reads a BOM-less CSV as GBK and shows
Chinese headers as mojibake. Either header style imports: ``header_map`` matches field names and labels.
"""

from __future__ import annotations

import csv
import io
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tenderwatch.catalog.schemas import Catalog, Dataset, Field

HeaderLabels = Literal["name", "zh", "en"]

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
_REQUIRED_FONT = Font(bold=True, color="9C0006")
_FIELD_SHEET_HEADERS = (
    "字段名 Field",
    "中文名称",
    "English label",
    "类型 Type",
    "必填 Required",
    "主键 Key",
    "校验 Validator",
    "取值 Allowed values",
)


def header_row(dataset: Dataset, labels: HeaderLabels = "name") -> list[str]:
    if labels == "zh":
        return [f.zh for f in dataset.fields]
    if labels == "en":
        return [f.en for f in dataset.fields]
    return list(dataset.field_names)


def csv_template(dataset: Dataset, labels: HeaderLabels = "name") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(header_row(dataset, labels))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def enum_values(field: Field, catalog: Catalog) -> str:
    """``code=中文/English`` pairs, for the field sheet and the docs."""
    if field.enum is None:
        return ""
    return "; ".join(f"{code}={label.zh}/{label.en}" for code, label in catalog.enums[field.enum].items())


def _range(field: Field) -> str:
    if field.min is None and field.max is None:
        return ""
    low = "" if field.min is None else f"{field.min:g}"
    high = "" if field.max is None else f"{field.max:g}"
    return f"[{low}, {high}]"


def xlsx_template(dataset: Dataset, catalog: Catalog) -> bytes:
    """Sheet 1: the header row (field names, required ones in red bold). Sheet 2: what each field means."""
    book = Workbook()
    data = book.active
    data.title = dataset.id[:31]  # Excel's sheet-name limit
    data.append(list(dataset.field_names))
    for column, field in enumerate(dataset.fields, start=1):
        cell = data.cell(row=1, column=column)
        cell.fill = _HEADER_FILL
        cell.font = _REQUIRED_FONT if field.required else Font(bold=True)
        data.column_dimensions[cell.column_letter].width = max(14, len(field.name) + 4)
    data.freeze_panes = "A2"

    info = book.create_sheet("字段说明 Fields")
    info.append(list(_FIELD_SHEET_HEADERS))
    for field in dataset.fields:
        info.append(
            [
                field.name,
                field.zh,
                field.en,
                field.type + (f" {_range(field)}" if _range(field) else ""),
                "是 yes" if field.required else "",
                "是 yes" if field.key else "",
                field.validator or "",
                enum_values(field, catalog),
            ]
        )
    for cell in info[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for letter, width in zip("ABCDEFGH", (24, 24, 28, 16, 12, 10, 14, 60), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].alignment = Alignment(wrap_text=True)
    info.freeze_panes = "A2"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

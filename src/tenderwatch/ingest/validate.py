"""Validating a read file against its catalogue dataset.

Every record ends either in ``accepted`` (typed, ready for the lake) or in ``rejects`` with all of
its problems, so received = accepted + rejected holds by construction: the two sets are split on one
boolean column of the same frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from tenderwatch.catalog.schemas import Catalog, Dataset, Reference
from tenderwatch.catalog.service import header_map
from tenderwatch.ingest.fields import (
    PARQUET_TYPES,
    field_checks,
    normalised_text,
    typed_value,
    valid_identities,
)
from tenderwatch.ingest.messages import render
from tenderwatch.ingest.readers import RawTable

# Returns the keys present in a referenced dataset (one String column per key field, named like the
# referencing fields), or None when that dataset has no data yet.
KeyLookup = Callable[[Reference], pl.DataFrame | None]


@dataclass(slots=True)
class RejectRecord:
    line: int
    field: str | None
    code: str
    message_zh: str
    message_en: str
    errors: list[dict[str, str]]
    raw: dict[str, str]


@dataclass(slots=True)
class Validated:
    accepted: pl.DataFrame
    rejects: list[RejectRecord] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejects)


# Row-local checks run over slices of this many records, so a file of tens of millions of records
# never holds its raw, normalised and typed copies all at once (peak memory), only the typed one.
CHUNK_ROWS = 1_000_000


def validate(
    table: RawTable, dataset: Dataset, catalog: Catalog, keys: KeyLookup, chunk_rows: int = CHUNK_ROWS
) -> Validated:
    mapping = header_map(dataset, table.headers)
    unknown = [h for i, h in enumerate(table.headers) if i not in mapping and h != ""]
    raw = table.frame().with_columns(_row=pl.int_range(pl.len(), dtype=pl.Int64))
    by_field = {name: f"c{pos}" for pos, name in mapping.items()}

    typed_parts: list[pl.DataFrame] = []
    error_frames: list[pl.DataFrame] = []
    for start in range(0, max(raw.height, 1), chunk_rows):
        typed, chunk_errors = _check_rows(raw.slice(start, chunk_rows), dataset, catalog, by_field)
        typed_parts.append(typed)
        error_frames.extend(chunk_errors)
    frame = pl.concat(typed_parts)
    del typed_parts
    error_frames.extend(_duplicate_key_errors(frame, dataset))
    for ref in dataset.references:
        error_frames.extend(_reference_errors(frame, ref, catalog, keys(ref)))

    errors = pl.concat(error_frames) if error_frames else _empty_errors()
    bad_rows = errors.get_column("_row").unique()
    accepted = frame.filter(~pl.col("_row").is_in(bad_rows.implode())).drop("_row")
    rejects = _reject_records(errors, raw, table, dataset, catalog)
    rejects.extend(
        RejectRecord(
            b.line,
            None,
            b.code,
            b.message_zh,
            b.message_en,
            [
                {
                    "field": "",
                    "code": b.code,
                    "value": "",
                    "message_zh": b.message_zh,
                    "message_en": b.message_en,
                }
            ],
            {"_raw": b.raw},
        )
        for b in table.broken
    )
    rejects.sort(key=lambda r: r.line)
    return Validated(accepted=accepted, rejects=rejects, unknown_columns=unknown)


def _check_rows(
    raw: pl.DataFrame, dataset: Dataset, catalog: Catalog, by_field: dict[str, str]
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Typed records and the (row, field, code, value) failures of every row-local check."""
    # Stage 1 and 2: normalised text, then typed values, each materialised once.
    raw_of = {
        f.name: (pl.col(by_field[f.name]) if f.name in by_field else pl.lit(None, dtype=pl.String))
        for f in dataset.fields
    }
    staged = raw.select(
        "_row",
        "_line",
        *[raw_of[f.name].alias(f"raw:{f.name}") for f in dataset.fields],
        *[normalised_text(f, raw_of[f.name]).alias(f"text:{f.name}") for f in dataset.fields],
    ).with_columns(
        [
            typed_value(f, catalog, pl.col(f"text:{f.name}")).cast(PARQUET_TYPES[f.type]).alias(f.name)
            for f in dataset.fields
        ]
    )
    # Stage 3: every check of every field in one pass, then only the failures are unpivoted.
    flags: list[pl.Expr] = []
    for f in dataset.fields:
        valid = (
            valid_identities(f, staged.get_column(f.name))
            if f.validator in ("uscc", "id_number", "id_or_uscc")
            else None
        )
        checks = field_checks(f, pl.col(f"raw:{f.name}"), pl.col(f"text:{f.name}"), pl.col(f.name), valid)
        if f.name not in by_field and f.required:
            checks = [("missing_column", pl.lit(True))]
        flags.extend(cond.fill_null(False).alias(f"{f.name}|{code}") for code, cond in checks)
    failures = (
        staged.select("_row", *flags)
        .unpivot(index="_row", variable_name="check", value_name="failed")
        .filter(pl.col("failed"))
    )
    typed = staged.select("_row", "_line", *dataset.field_names)
    if failures.height == 0:
        return typed, []
    split = failures.with_columns(
        field=pl.col("check").str.split_exact("|", 1).struct.field("field_0"),
        code=pl.col("check").str.split_exact("|", 1).struct.field("field_1"),
    )
    values = (
        staged.filter(pl.col("_row").is_in(split.get_column("_row").unique().implode()))
        .select("_row", *[pl.col(f"raw:{f.name}").alias(f.name) for f in dataset.fields])
        .unpivot(index="_row", variable_name="field", value_name="value")
    )
    errors = split.join(values, on=["_row", "field"], how="left").select(
        "_row",
        "field",
        "code",
        value=pl.col("value").str.strip_prefix("\x00").fill_null(""),
        detail=pl.lit(""),
    )
    return typed, [errors]


def _empty_errors() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "_row": pl.Int64,
            "field": pl.String,
            "code": pl.String,
            "value": pl.String,
            "detail": pl.String,
        }
    )


def _duplicate_key_errors(frame: pl.DataFrame, dataset: Dataset) -> list[pl.DataFrame]:
    key = list(dataset.key)
    keyed = frame.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in key]))
    first = pl.col("_line").min().over(key)
    dupes = keyed.with_columns(first_line=first).filter(pl.col("_line") != pl.col("first_line"))
    if dupes.height == 0:
        return []
    detail = "、".join(dataset.field(k).zh for k in key) + " / " + ", ".join(dataset.field(k).en for k in key)
    return [
        dupes.select(
            "_row",
            field=pl.lit(key[0]),
            code=pl.lit("duplicate_key"),
            value=pl.col("first_line").cast(pl.String),
            detail=pl.lit(detail),
        )
    ]


def _reference_errors(
    frame: pl.DataFrame, ref: Reference, catalog: Catalog, known: pl.DataFrame | None
) -> list[pl.DataFrame]:
    cols = list(ref.fields)
    candidates = frame.filter(pl.all_horizontal([pl.col(c).is_not_null() for c in cols]))
    if candidates.height == 0:
        return []
    casted = candidates.with_columns([pl.col(c).cast(pl.String) for c in cols])
    missing = casted if known is None else casted.join(known.unique(), on=cols, how="anti", nulls_equal=False)
    if missing.height == 0:
        return []
    target = catalog.dataset(ref.dataset)
    detail = f"{target.zh}|{target.en}"
    value = pl.concat_str([pl.col(c) for c in cols], separator=" / ")
    return [
        missing.select(
            "_row",
            field=pl.lit(cols[-1] if len(cols) > 1 else cols[0]),
            code=pl.lit("unknown_reference"),
            value=value,
            detail=pl.lit(detail),
        )
    ]


def _reject_records(
    errors: pl.DataFrame, raw: pl.DataFrame, table: RawTable, dataset: Dataset, catalog: Catalog
) -> list[RejectRecord]:
    if errors.height == 0:
        return []
    enum_values = {f.name: ", ".join(catalog.enums[f.enum]) for f in dataset.fields if f.enum is not None}
    order = {f.name: i for i, f in enumerate(dataset.fields)}
    errors = errors.with_columns(
        _order=pl.col("field").replace_strict(order, default=999, return_dtype=pl.Int64)
    )
    errors = errors.sort("_row", "_order")
    lines = raw.get_column("_line").to_list()
    texts = raw.select([f"c{i}" for i in range(len(table.headers))])
    records: list[RejectRecord] = []
    current: RejectRecord | None = None
    current_row = -1
    for row, field_name, code, value, detail, _ in errors.iter_rows():
        f = dataset.field(field_name)
        detail_zh, detail_en = _detail(code, detail, f.name, f.min, f.max, enum_values)
        zh = render(code, label_zh=f.zh, label_en=f.en, value=value or "", detail=detail_zh)[0]
        en = render(code, label_zh=f.zh, label_en=f.en, value=value or "", detail=detail_en)[1]
        item = {"field": field_name, "code": code, "value": value or "", "message_zh": zh, "message_en": en}
        if current is None or current_row != row:
            current_row = row
            raw_record = dict(zip(table.headers, texts.row(row), strict=False))
            current = RejectRecord(lines[row], field_name, code, zh, en, [item], raw_record)
            records.append(current)
        else:
            current.errors.append(item)
    return records


def _detail(
    code: str,
    detail: str,
    name: str,
    minimum: float | None,
    maximum: float | None,
    enum_values: dict[str, str],
) -> tuple[str, str]:
    if code == "not_in_enum":
        return enum_values.get(name, ""), enum_values.get(name, "")
    if code == "below_min":
        return f"{minimum:g}", f"{minimum:g}"
    if code == "above_max":
        return f"{maximum:g}", f"{maximum:g}"
    if code == "unknown_reference":
        zh, _, en = detail.partition("|")
        return f"“{zh}”记录", f"{en} record"
    if code == "duplicate_key":
        zh, _, en = detail.partition(" / ")
        return zh, en
    return detail, detail

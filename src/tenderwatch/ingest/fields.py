"""Per-field normalisation, typing and checks as Polars expressions.

Import computes, per field, three columns in turn: the normalised text, the typed value, and the
checks (code, failing-condition) over those two. Materialising each step once keeps the expressions
small, and working on whole columns keeps import fast where a Python call per value would not.
"""

from __future__ import annotations

import polars as pl

from tenderwatch.catalog.schemas import Catalog, Field
from tenderwatch.common.identifiers import ID_CHECK, ID_WEIGHTS, id_number_valid_expr, uscc_valid_expr
from tenderwatch.common.placeholders import null_placeholders
from tenderwatch.common.regions import REGIONS

Check = tuple[str, pl.Expr]

DECIMAL = pl.Decimal(18, 2)
PARQUET_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "enum": pl.String(),
    "month": pl.String(),
    "int": pl.Int64(),
    "decimal": DECIMAL,
    "float": pl.Float64(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "bool": pl.Boolean(),
}
TRUE_WORDS = ["true", "1", "yes", "y", "t", "是", "对"]
FALSE_WORDS = ["false", "0", "no", "n", "f", "否", "错"]
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"]
DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
]
MOBILE = r"^1[3-9]\d{9}$"
LANDLINE = r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$"
SERVICE_NUMBER = r"^[48]00-?\d{3}-?\d{4}$"
IPV4 = r"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"
IPV6 = r"^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$"
MAC = r"^[0-9A-F]{2}(-[0-9A-F]{2}){5}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


def id_upgrade_expr(text: pl.Expr) -> pl.Expr:
    """Upgrade legacy 15-digit ID numbers to 18 digits (insert the century, compute the check)."""
    first17 = text.str.slice(0, 6) + pl.lit("19") + text.str.slice(6, 9)
    total = pl.lit(0, dtype=pl.Int64)
    for i, weight in enumerate(ID_WEIGHTS):
        total = total + first17.str.slice(i, 1).cast(pl.Int64, strict=False) * weight
    check = (total % 11).replace_strict(dict(enumerate(ID_CHECK)), default=None, return_dtype=pl.String)
    legacy = (text.str.len_chars() == 15) & text.str.contains(r"^\d{15}$")
    return pl.when(legacy).then(first17 + check).otherwise(text)


def normalised_text(field: Field, col: pl.Expr) -> pl.Expr:
    """Trimmed text with placeholders as null and identifiers in canonical form."""
    col = pl.when(col.str.starts_with("\x00")).then(None).otherwise(col)
    text = null_placeholders(col, identifier=field.identifier)
    if field.validator in ("uscc", "id_number", "id_or_uscc"):
        text = text.str.replace_all(r"\s", "").str.to_uppercase()
        if field.validator != "uscc":
            text = id_upgrade_expr(text)
    elif field.validator == "mac":
        cleaned = text.str.to_uppercase().str.replace_all(r"[:.\-\s]", "")
        text = (
            pl.when(cleaned.str.contains(r"^[0-9A-F]{12}$"))
            .then(pl.concat_str([cleaned.str.slice(i, 2) for i in range(0, 12, 2)], separator="-"))
            .otherwise(text.str.to_uppercase())
        )
    elif field.validator == "phone":
        text = text.str.replace_all(r"[\s()（）]", "").str.replace(r"^(\+86|0086|86-)", "")
    elif field.validator in ("email", "ip"):
        text = text.str.to_lowercase()
    return text


def typed_value(field: Field, catalog: Catalog, text: pl.Expr) -> pl.Expr:
    """The value in its catalogue type; null where the text does not parse."""
    match field.type:
        case "string":
            return text
        case "int":
            return text.str.replace_all(",", "").cast(pl.Int64, strict=False)
        case "decimal":
            cleaned = text.str.replace_all(r"[,，\s¥￥元]", "")
            ok = cleaned.str.contains(r"^-?\d+(\.\d{1,2})?$")
            return pl.when(ok).then(cleaned).otherwise(None).cast(DECIMAL, strict=False)
        case "float":
            number = text.str.replace_all(",", "").cast(pl.Float64, strict=False)
            return pl.when(number.is_finite()).then(number).otherwise(None)
        case "date":
            return pl.coalesce(
                [text.str.strptime(pl.Date, f, strict=False) for f in DATE_FORMATS]
                + [text.str.strptime(pl.Datetime("us"), f, strict=False).dt.date() for f in DATETIME_FORMATS]
            )
        case "datetime":
            return pl.coalesce(
                [text.str.strptime(pl.Datetime("us"), f, strict=False) for f in DATETIME_FORMATS]
                + [text.str.strptime(pl.Date, f, strict=False).cast(pl.Datetime("us")) for f in DATE_FORMATS]
            )
        case "month":
            digits = text.str.replace_all(r"[-/年月\s]", "")
            ok = digits.str.contains(r"^\d{4}(0[1-9]|1[0-2])$") & text.str.contains(r"^\d{4}[-/年]?\d{2}月?$")
            return pl.when(ok).then(digits.str.slice(0, 4) + "-" + digits.str.slice(4, 2)).otherwise(None)
        case "bool":
            lowered = text.str.to_lowercase()
            return pl.when(lowered.is_in(TRUE_WORDS)).then(True).when(lowered.is_in(FALSE_WORDS)).then(False)
        case _:  # enum: the code, or its Chinese or English label
            assert field.enum is not None
            lookup: dict[str, str] = {}
            for code, label in catalog.enums[field.enum].items():
                lookup.update({code.lower(): code, label.zh.lower(): code, label.en.lower(): code})
            return text.str.to_lowercase().replace_strict(lookup, default=None, return_dtype=pl.String)


PARSE_CODES = {
    "int": "not_int",
    "decimal": "not_decimal",
    "float": "not_number",
    "date": "not_date",
    "datetime": "not_datetime",
    "month": "not_month",
    "bool": "not_bool",
    "enum": "not_in_enum",
}


IDENTITY_VALIDATORS = {"uscc": uscc_valid_expr, "id_number": id_number_valid_expr}


def valid_identities(field: Field, values: pl.Series) -> pl.Series:
    """The distinct values of an identifier column that pass its check-digit validator.

    Why: a company or person recurs in thousands of records (bids, insurance months), so checking
    each distinct value once and matching the rest by hash is several times faster.
    """
    distinct = values.drop_nulls().unique().to_frame("v")
    if field.validator == "id_or_uscc":
        ok = uscc_valid_expr(pl.col("v")) | id_number_valid_expr(pl.col("v"))
    else:
        ok = IDENTITY_VALIDATORS[str(field.validator)](pl.col("v"))
    return distinct.filter(ok).get_column("v")


def field_checks(
    field: Field, raw: pl.Expr, text: pl.Expr, typed: pl.Expr, valid: pl.Series | None = None
) -> list[Check]:
    """Checks over already computed columns: the delivered ``raw``, its ``text`` and ``typed`` value.

    ``valid`` (from ``valid_identities``) replaces the per-record check-digit computation.
    """
    present = text.is_not_null()
    nested = raw.str.starts_with("\x00").fill_null(False)
    checks: list[Check] = [("not_scalar", nested)]
    if field.required:
        checks.append(("required", ~present & ~nested))
    if field.type in PARSE_CODES:
        checks.append((PARSE_CODES[field.type], present & typed.is_null()))
    if field.min is not None and field.type in ("int", "decimal", "float"):
        checks.append(("below_min", (typed.cast(pl.Float64) < field.min).fill_null(False)))
    if field.max is not None and field.type in ("int", "decimal", "float"):
        checks.append(("above_max", (typed.cast(pl.Float64) > field.max).fill_null(False)))
    if valid is not None and field.validator in ("uscc", "id_number", "id_or_uscc"):
        code = {"uscc": "bad_uscc", "id_number": "bad_id_number", "id_or_uscc": "bad_id_or_uscc"}[
            field.validator
        ]
        checks.append((code, present & ~typed.is_in(valid.implode())))
    else:
        checks.extend(_validator_checks(field, typed, present))
    return checks


def _validator_checks(field: Field, value: pl.Expr, present: pl.Expr) -> list[Check]:
    match field.validator:
        case "uscc":
            return [("bad_uscc", present & ~uscc_valid_expr(value))]
        case "id_number":
            return [("bad_id_number", present & ~id_number_valid_expr(value))]
        case "id_or_uscc":
            return [("bad_id_or_uscc", present & ~(uscc_valid_expr(value) | id_number_valid_expr(value)))]
        case "region":
            return [("bad_region", present & ~value.is_in(list(REGIONS)))]
        case "phone":
            ok = (
                value.str.contains(MOBILE) | value.str.contains(LANDLINE) | value.str.contains(SERVICE_NUMBER)
            )
            return [("bad_phone", present & ~ok)]
        case "ip":
            return [("bad_ip", present & ~(value.str.contains(IPV4) | value.str.contains(IPV6)))]
        case "mac":
            return [("bad_mac", present & ~value.str.contains(MAC))]
        case "email":
            return [("bad_email", present & ~value.str.contains(EMAIL))]
        case None:
            return []

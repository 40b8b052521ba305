"""Chinese identifiers: the Unified Social Credit Code (GB 32100-2015), the organisation code
(GB 11714-1997) embedded in it, and the citizen ID number (GB 11643-1999).

Each has a scalar check (for forms and the API), a generator (for the synthetic province) and a
vectorised Polars check (for bulk import, where a Python call per row would dominate the run time).
Constants are from the standards as restated in ``shared/reference/DOMAIN.md`` §6.
"""

from __future__ import annotations

import random
from datetime import date

import polars as pl

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
USCC_VALUES = {ch: i for i, ch in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
ID_PATTERN = r"^\d{17}[\dX]$"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUES[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    total = sum(ORG_CHARSET.index(ch) * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def normalise_uscc(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def is_valid_uscc(value: str) -> bool:
    code = normalise_uscc(value)
    if len(code) != 18 or any(ch not in USCC_VALUES for ch in code) or not code[2:8].isdigit():
        return False
    return uscc_check_char(code[:17]) == code[17]


def make_uscc(region_code: str, rng: random.Random, authority: str = "9", kind: str = "1") -> str:
    """A code that passes both checks: registration authority, type, region, organisation code, check."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    # The embedded organisation code only uses characters valid in both charsets.
    org = body + org_check_char(body)
    if org[-1] not in USCC_VALUES:
        org = org[:-1] + "0"
    first17 = f"{authority}{kind}{region_code}{org}"
    return first17 + uscc_check_char(first17)


def normalise_id_number(value: str) -> str:
    """Upper-case, strip blanks and upgrade a legacy 15-digit number to 18 digits."""
    code = value.strip().upper().replace(" ", "")
    if len(code) == 15 and code.isdigit():
        first17 = code[:6] + "19" + code[6:]
        return first17 + id_check_char(first17)
    return code


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def mask_id_number(value: str) -> str:
    """An ID number shown as its region and its last four characters (enough to tell people apart on a
    list whose detail page shows, and audits, the whole number); shorter values are returned as they are."""
    if len(value) < 10:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def is_valid_id_number(value: str) -> bool:
    code = normalise_id_number(value)
    if len(code) != 18 or not code[:17].isdigit() or code[17] not in "0123456789X":
        return False
    if id_birth_date(code) is None:
        return False
    return id_check_char(code[:17]) == code[17]


def make_id_number(region_code: str, born: date, rng: random.Random, male: bool | None = None) -> str:
    seq = rng.randrange(0, 1000)
    if male is not None and (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = f"{region_code}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def uscc_valid_expr(column: pl.Expr) -> pl.Expr:
    """True where the (already normalised) string is a well-formed USCC with a correct check char."""
    total = pl.lit(0, dtype=pl.Int64)
    for i, weight in enumerate(USCC_WEIGHTS):
        digit = column.str.slice(i, 1).replace_strict(USCC_VALUES, default=None, return_dtype=pl.Int64)
        total = total + digit * weight
    check = ((31 - total % 31) % 31).replace_strict(
        dict(enumerate(USCC_CHARSET)), default=None, return_dtype=pl.String
    )
    return column.str.contains(USCC_PATTERN) & (check == column.str.slice(17, 1)).fill_null(False)


def id_number_valid_expr(column: pl.Expr) -> pl.Expr:
    """True where the (already normalised) string is an 18-character ID with a real birth date and check."""
    total = pl.lit(0, dtype=pl.Int64)
    for i, weight in enumerate(ID_WEIGHTS):
        total = total + column.str.slice(i, 1).cast(pl.Int64, strict=False) * weight
    check = (total % 11).replace_strict(dict(enumerate(ID_CHECK)), default=None, return_dtype=pl.String)
    born = column.str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    return (
        column.str.contains(ID_PATTERN)
        & born.is_not_null()
        & (check == column.str.slice(17, 1)).fill_null(False)
    )

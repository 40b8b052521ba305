"""Placeholder values that sources write where they have nothing.

They must never match another record (two bidders with MAC "-" are not one machine), so import turns
them into nulls before anything else looks at a value.
"""

from __future__ import annotations

import polars as pl

PLACEHOLDERS = frozenset(
    {"", "-", "--", "/", "\\", "无", "暂无", "空", "null", "NULL", "None", "none", "N/A", "n/a", "NA", "#N/A"}
)
# Identifier-like fields also treat "0", all-zero and all-F strings as placeholders (a zeroed MAC or
# serial); amounts do not, since 0 is a real amount.
_ZERO_LIKE = r"^[0:\-\.]+$|^[Ff:\-]+$"


def is_placeholder(value: str | None, identifier: bool = False) -> bool:
    if value is None:
        return True
    text = value.strip()
    if text in PLACEHOLDERS:
        return True
    if identifier:
        import re

        return re.fullmatch(_ZERO_LIKE, text) is not None
    return False


def null_placeholders(column: pl.Expr, identifier: bool = False) -> pl.Expr:
    """Trim and replace placeholders by null (vectorised)."""
    text = column.str.strip_chars()
    hit = text.is_in(list(PLACEHOLDERS))
    if identifier:
        hit = hit | text.str.contains(_ZERO_LIKE)
    return pl.when(hit).then(None).otherwise(text)

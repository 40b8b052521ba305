"""Canonical forms of the identifiers the register matches on.

The register side (typed by a person, or copied from C18 evidence) and the lake side (normalised at
import by ``ingest.fields``) must meet in one form, so each function here has an SQL twin in
``lake_screen`` that does the same to lake columns. Placeholders and invalid values give ``None``:
they never match (two bids with phone "无" share nothing).
"""

from __future__ import annotations

import re

from tenderwatch.common.identifiers import is_valid_id_number, normalise_id_number
from tenderwatch.common.placeholders import is_placeholder

_PHONE_PREFIX = re.compile(r"^(\+86|0086|86-)")
# Landline with an extension: the extension reaches one desk of a switchboard, the number is the line.
_EXTENSION = re.compile(r"^(0\d{2,3})-?(\d{7,8})-\d{1,6}$")
_PHONE_OK = re.compile(r"^(1[3-9]\d{9}|0\d{9,11}|[48]00\d{7})$")
_ACCOUNT_OK = re.compile(r"^[0-9A-Z]{6,40}$")
_CJK = re.compile(r"^[\u3400-\u9fff·]+$")


def canonical_id(raw: str | None) -> str | None:
    """An ID number in 18-character form, only if its check digit and birth date are right."""
    if is_placeholder(raw, identifier=True):
        return None
    assert raw is not None
    code = normalise_id_number(raw)
    return code if is_valid_id_number(code) else None


def canonical_phone(raw: str | None) -> str | None:
    """Digits only, no country prefix, no extension: ``+86 138-0000-0000`` → ``13800000000``."""
    if is_placeholder(raw, identifier=True):
        return None
    assert raw is not None
    text = re.sub(r"[\s()（）]", "", raw)
    text = _PHONE_PREFIX.sub("", text)
    text = _EXTENSION.sub(r"\1\2", text)
    digits = text.replace("-", "")
    return digits if _PHONE_OK.match(digits) and not is_placeholder(digits, identifier=True) else None


def canonical_account(raw: str | None) -> str | None:
    """A bank account without blanks or dashes, upper-case; zero-like and short values are not accounts."""
    if is_placeholder(raw, identifier=True):
        return None
    assert raw is not None
    text = re.sub(r"[\s\-]", "", raw).upper()
    if not _ACCOUNT_OK.match(text) or is_placeholder(text, identifier=True):
        return None
    return text


def canonical_name(raw: str | None) -> str | None:
    """A person's name without blanks; ``None`` for placeholders."""
    if is_placeholder(raw):
        return None
    assert raw is not None
    text = re.sub(r"\s+", "", raw)
    return text or None


def is_chinese_name(name: str) -> bool:
    """Two to four Han characters (a middle dot allowed): what pinyin fuzzing is meant for.
    Company names and Latin names are only ever matched exactly."""
    return bool(_CJK.match(name)) and 2 <= len(name.replace("·", "")) <= 6

"""Translations: Babel ``.po`` catalogues read at start-up, English message ids, zh-CN by default.

The ``.po`` files are compiled in memory when first needed (``read_po`` → ``write_mo`` → ``Translations``),
so an install needs no compile step and a translator only ever edits the ``.po`` file.

Python code marks strings with ``N_`` (no translation at the call) and translates them where the locale
is known with ``translate(locale, message)``; templates use ``{% trans %}`` / ``_()``. The test in
``tests/web/test_i18n.py`` extracts both and fails when a message has no zh_CN translation.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
# What the header's language switch shows for each locale, always in that language itself.
LOCALE_NAMES = {"zh_CN": "中文", "en": "English"}


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where the locale is known."""
    return message


def normalise_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    if value is None:
        return default
    value = value.replace("-", "_")
    if value in LOCALES:
        return value
    if value.lower().startswith("zh"):
        return "zh_CN"
    if value.lower().startswith("en"):
        return "en"
    return default


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=len(LOCALES))
def get_translations(locale: str) -> Translations:
    with po_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def translate(locale: str, message: str, **variables: Any) -> str:
    text: str = get_translations(normalise_locale(locale)).gettext(message)
    return text % variables if variables else text


@pass_context
def _context_gettext(context: Context, message: str) -> str:
    return get_translations(normalise_locale(context.get("locale"))).gettext(message)


@pass_context
def _context_ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    translations = get_translations(normalise_locale(context.get("locale")))
    return translations.ngettext(singular, plural, count)


def install(env: Any) -> None:
    """Give a Jinja environment (with ``jinja2.ext.i18n``) gettext callables that follow ``locale`` in
    the render context, so one environment serves every language."""
    env.install_gettext_callables(_context_gettext, _context_ngettext, newstyle=True)

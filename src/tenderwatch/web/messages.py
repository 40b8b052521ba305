"""Collecting the UI messages (templates and Python) and keeping the ``.po`` catalogues in step.

``python -m tenderwatch.web.messages`` adds every new message id to each catalogue (with an empty
translation for zh_CN to fill in) and drops ids no longer used; ``tests/web/test_i18n.py`` fails while
any zh_CN translation is missing.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from tenderwatch.web.i18n import LOCALES, po_path
from tenderwatch.web.templating import TEMPLATE_DIR, templates

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# N_("…") marks a message; translate(locale, "…") translates one on the spot (the id is argument 2).
PYTHON_KEYWORDS: dict[str, tuple[int, ...] | None] = {"N_": None, "translate": (2,)}


def template_messages() -> dict[str, list[str]]:
    """Message id → places it is used (``file:line``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(TEMPLATE_DIR.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for lineno, _func, message in templates.env.extract_translations(source):  # type: ignore[attr-defined]
            ids = message if isinstance(message, tuple) else (message,)
            for msgid in ids:
                if isinstance(msgid, str):
                    found.setdefault(msgid, []).append(f"{path.relative_to(PACKAGE_DIR)}:{lineno}")
    return found


def python_messages() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        with path.open("rb") as handle:
            for lineno, message, _comments, _context in extract("python", handle, keywords=PYTHON_KEYWORDS):
                ids = message if isinstance(message, tuple) else (message,)
                for msgid in ids:
                    if isinstance(msgid, str):
                        found.setdefault(msgid, []).append(f"{path.relative_to(PACKAGE_DIR)}:{lineno}")
    return found


def all_messages() -> dict[str, list[str]]:
    found = template_messages()
    for msgid, places in python_messages().items():
        found.setdefault(msgid, []).extend(places)
    return found


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def _translated(catalog: Catalog, msgid: str) -> bool:
    message = catalog.get(msgid)
    return message is not None and bool(message.string)


def update_catalogs() -> None:
    messages = all_messages()
    for locale in LOCALES:
        path = po_path(locale)
        old = read_catalog(locale) if path.exists() else Catalog(locale=locale)
        # Keeping the old dates stops the header from changing on every run when no message changed.
        new = Catalog(
            locale=locale,
            project="tenderwatch",
            version="0.1",
            copyright_holder="tenderwatch",
            charset="utf-8",
            creation_date=old.creation_date,
            revision_date=old.revision_date,
            fuzzy=False,
        )
        for msgid in sorted(messages):
            previous = old.get(msgid)
            # English ids are the English text, so the en catalogue may leave them untranslated.
            text = previous.string if previous is not None and previous.string else ""
            new.add(
                msgid,
                text,
                locations=[
                    (place.rsplit(":", 1)[0], int(place.rsplit(":", 1)[1])) for place in messages[msgid]
                ],
            )
        buffer = io.BytesIO()
        write_po(buffer, new, width=110, sort_output=True, omit_header=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    update_catalogs()
    zh = read_catalog("zh_CN")
    missing = [m for m in all_messages() if not _translated(zh, m)]
    for msgid in missing:
        print("untranslated (zh_CN):", msgid)
    sys.exit(1 if missing else 0)

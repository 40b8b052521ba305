"""Fill in a missing status, re-map it with `[codelists.*]` and report codes still outside the codelist."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.cardinal.prepare.issues import INVALID, NOT_SET, Issues


def prepare_status(
    entries: list[Any],
    j: int,
    default: str | None,
    codes: dict[str, str],
    codelist: frozenset[str],
    path: str,
    issues: Issues,
) -> Any:
    """Fix `entries[j]["status"]`; return the entry (a null entry becomes an object if a default is set)."""
    entry = entries[j]
    # A member set to null counts as set (Cardinal tests `get(..).is_none()`), so it is not filled in.
    if not isinstance(entry, dict) or "status" not in entry:
        if default is None:
            issues.add(path, j, "", NOT_SET)
        elif entry is None:
            # Assigning a member to null makes it an object, as serde_json's `value["status"] = ..`.
            entry = {"status": default}
            entries[j] = entry
        elif isinstance(entry, dict):
            entry["status"] = default
        # Any other type is left alone (Cardinal would panic on it).
    if isinstance(entry, dict):
        status = entry.get("status")
        if isinstance(status, str):
            mapped = codes.get(status)
            if mapped is not None:
                status = mapped
                entry["status"] = mapped
            if status not in codelist:
                issues.add(path, j, status, INVALID)
    return entry


def fill_scheme(items: Any, j: int, default: str | None, path: str, issues: Issues) -> None:
    """Fill in each item's missing `classification/scheme`, or report it as not set."""
    if not isinstance(items, list):
        return
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        classification = item.get("classification")
        if isinstance(classification, dict) and "scheme" not in classification:
            if default is not None:
                classification["scheme"] = default
            else:
                issues.add(path, f"{j}.{k}", "", NOT_SET)

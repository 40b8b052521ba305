"""Compiling the releases of one contracting process with the OCDS 1.1 merge rules.

Releases are applied oldest first, so for every field the latest value wins. On top of that:

* ``null`` removes the field (a later release can retract a value);
* arrays of objects that all carry an ``id`` are merged item by item on that id (identity merge),
  other arrays replace the earlier array as a whole, as do arrays marked ``wholeListMerge``;
* fields marked ``omitWhenMerged`` (the release's own ``id``, ``date``, ``tag``) are dropped and the
  compiled release gets ``id`` = ``{ocid}-{latest date}``, the latest ``date`` and ``tag`` = compiled.

Versioned releases (the history of every value) are not built: detection only needs the latest state.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tenderwatch.ocds.schema import whole_list_merge_paths


@cache
def _rules() -> tuple[frozenset[str], frozenset[str]]:
    return whole_list_merge_paths()


def _identity_merge(old: Any, new: list[Any], path: str) -> list[Any]:
    merged: dict[Any, Any] = {}
    if isinstance(old, list):
        for item in old:
            if isinstance(item, dict) and "id" in item:
                merged[_key(item["id"])] = item
    for item in new:
        key = _key(item["id"])
        merged[key] = _merge_object(merged.get(key, {}), item, path)
    return list(merged.values())


def _key(value: Any) -> Any:
    # "1" and 1 name the same item: publishers switch between the two.
    return str(value) if isinstance(value, (int, str)) else repr(value)


def _merge_value(old: Any, new: Any, path: str) -> Any:
    whole, _ = _rules()
    if isinstance(new, dict):
        return _merge_object(old if isinstance(old, dict) else {}, new, path)
    if isinstance(new, list):
        if path not in whole and new and all(isinstance(i, dict) and "id" in i for i in new):
            return _identity_merge(old, new, path)
        return list(new)
    return new


def _merge_object(old: dict[str, Any], new: dict[str, Any], path: str) -> dict[str, Any]:
    _, omit = _rules()
    result = dict(old)
    for key, value in new.items():
        child = f"{path}.{key}" if path else key
        if child in omit:
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_value(result.get(key), value, child)
    return result


def _date(release: dict[str, Any]) -> str:
    value = release.get("date")
    return value if isinstance(value, str) else ""


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release of one ocid's releases (any order; equal dates keep the given order)."""
    if not releases:
        raise ValueError("no releases to compile")
    ordered = sorted(releases, key=_date)  # stable: same-date releases keep their file order
    compiled: dict[str, Any] = {}
    for release in ordered:
        compiled = _merge_object(compiled, release, "")
    ocid = str(ordered[-1]["ocid"])
    latest = _date(ordered[-1])
    compiled["ocid"] = ocid
    compiled["id"] = f"{ocid}-{latest}" if latest else ocid
    if latest:
        compiled["date"] = latest
    compiled["tag"] = ["compiled"]
    return compiled

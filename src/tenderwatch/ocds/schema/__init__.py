"""The vendored OCDS 1.1.5 schema, its codelists and the extensions tenderwatch uses.

Everything is read from files next to this module: validation never fetches a URL. The core
release schema is patched (JSON merge patch, RFC 7386) with the bids extension and with the two local
tenderwatch fields, and registered under the core schema's own ``id`` so that the package schemas'
absolute ``$ref``s resolve to the patched copy.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

HERE = Path(__file__).parent
EXTENSIONS = ("bids", "tenderwatch")
# record-schema.json is not vendored: the shared copy is empty, and the 1.1.5 record package schema
# defines its record inline.
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def release_schema() -> dict[str, Any]:
    """The core release schema with the bids extension and the local tenderwatch fields."""
    schema = _load(HERE / "release-schema.json")
    for name in EXTENSIONS:
        schema = merge_patch(schema, _load(HERE / "extensions" / name / "release-schema.json"))
    return schema


@cache
def schema(name: str) -> dict[str, Any]:
    """One schema by file name; the release schema comes patched."""
    if name == "release-schema.json":
        return release_schema()
    return _load(HERE / name)


@cache
def registry() -> Registry[Any]:
    """Every vendored schema under its ``id``, so all ``$ref``s resolve from disk."""
    resources = [
        (schema(n)["id"], Resource.from_contents(schema(n), default_specification=DRAFT4))
        for n in SCHEMA_FILES
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    return registry


@cache
def codelist(name: str) -> dict[str, str]:
    """Code → English title of a codelist (core, or one an extension brings, e.g. bidStatus.csv)."""
    candidates = [
        HERE / "codelists" / name,
        *(HERE / "extensions" / e / "codelists" / name for e in EXTENSIONS),
    ]
    for path in candidates:
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                return {row["Code"]: row["Title"] for row in csv.DictReader(handle)}
    raise KeyError(name)


def whole_list_merge_paths() -> tuple[frozenset[str], frozenset[str]]:
    """(paths of arrays replaced whole when merging, paths omitted when merging), as dotted paths."""
    whole: set[str] = set()
    omit: set[str] = set()
    root = release_schema()

    def walk(node: dict[str, Any], path: str, seen: tuple[str, ...]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.rsplit("/", 1)[1]
            if name in seen:  # definitions do not recurse in OCDS 1.1, but be safe
                return
            walk(root["definitions"][name], path, (*seen, name))
            return
        if node.get("wholeListMerge"):
            whole.add(path)
        if node.get("omitWhenMerged"):
            omit.add(path)
        for key, child in node.get("properties", {}).items():
            walk(child, f"{path}.{key}" if path else key, seen)
        items = node.get("items")
        if isinstance(items, dict):
            walk(items, path, seen)

    walk(root, "", ())
    return frozenset(whole), frozenset(omit)

"""Load the verification guides from ``data/``: one ``Cxx.yaml`` per model plus ``common.yaml``.

A guide entry in ``legal_basis``, ``items``, ``benign`` or ``disposal`` is either written out or a
reference ``{ref: id}`` to the same-named section of common.yaml; ``{set: name}`` in ``disposal``
expands to the ids listed under ``disposal_sets``; an outcome may be ``{ref: id}`` into ``outcomes``.
Shared blocks live once, so the penalty articles of collusion cannot differ between C01 and C14.

Loading validates everything a verifier relies on and fails with the file and the field:
references resolve, texts are bilingual, the model exists, and every rule the guide declares is one
its model's query can emit.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tenderwatch.guides.schema import Guide

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMON_FILE = "common.yaml"
_REF_SECTIONS = ("legal_basis", "items", "benign", "disposal")
_GUIDE_FILE = re.compile(r"^C\d\d\.yaml$")


class GuideError(ValueError):
    """A guide file that cannot be used; the message names the file and the field."""


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GuideError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise GuideError(f"{path.name}: the top level must be a mapping")
    return data


def _common_entry(common: dict[str, Any], section: str, ref: object, where: str) -> dict[str, Any]:
    entries = common.get(section) or {}
    if not isinstance(ref, str) or ref not in entries:
        raise GuideError(f"{where}: unknown {section} reference {ref!r} (not in {COMMON_FILE})")
    entry = entries[ref]
    if not isinstance(entry, dict):
        raise GuideError(f"{COMMON_FILE}: {section}.{ref}: must be a mapping")
    # Citations in common.yaml are bare texts keyed by id; the rest carry their own fields.
    if section == "legal_basis":
        return {"id": ref, "text": entry}
    return {"id": ref, **entry}


def _resolve_list(common: dict[str, Any], section: str, raw: object, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise GuideError(f"{where}: must be a list")
    out: list[Any] = []
    for index, entry in enumerate(raw):
        here = f"{where}[{index}]"
        if isinstance(entry, dict) and set(entry) == {"ref"}:
            out.append(_common_entry(common, section, entry["ref"], here + ".ref"))
        elif section == "disposal" and isinstance(entry, dict) and set(entry) == {"set"}:
            ids = (common.get("disposal_sets") or {}).get(entry["set"])
            if not isinstance(ids, list):
                raise GuideError(f"{here}.set: unknown disposal set {entry['set']!r} (not in {COMMON_FILE})")
            out += [
                _common_entry(common, section, i, f"{COMMON_FILE}: disposal_sets.{entry['set']}") for i in ids
            ]
        else:
            out.append(entry)
    return out


def _resolve(raw: dict[str, Any], common: dict[str, Any], name: str) -> dict[str, Any]:
    data = dict(raw)
    for section in _REF_SECTIONS:
        if section in data:
            data[section] = _resolve_list(common, section, data[section], f"{name}: {section}")
    outcomes = data.get("outcomes")
    if isinstance(outcomes, dict):
        resolved: dict[str, Any] = {}
        for key, value in outcomes.items():
            if isinstance(value, dict) and set(value) == {"ref"}:
                entry = _common_entry(common, "outcomes", value["ref"], f"{name}: outcomes.{key}.ref")
                entry.pop("id")
                resolved[key] = entry
            else:
                resolved[key] = value
        data["outcomes"] = resolved
    return data


def _where(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a readable field path, naming the entry's id where it has one."""
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if isinstance(step, int):
            entry_id = (
                node[step].get("id") if isinstance(node, list) and isinstance(node[step], dict) else None
            )
            parts[-1] += f"[{step}]" + (f" (id={entry_id})" if entry_id else "")
        else:
            parts.append(str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts) or "(top level)"


def rule_in_sql(rule: str, sql: str) -> bool:
    """Whether the query can emit this rule: as a quoted literal, or as a quoted prefix joined to one
    (``'same_' || kind`` with ``'rsid' AS kind`` emits ``same_rsid``). A static check: it catches typos
    and renamed rules; the slow test compares with the rules the synthetic province actually fires.
    """
    literals = set(re.findall(r"'([a-z][a-z0-9_]*)'", sql))
    if rule in literals:
        return True
    for prefix in re.findall(r"'([a-z][a-z0-9_]*)'\s*\|\|", sql):
        if rule.startswith(prefix) and rule[len(prefix) :] in literals:
            return True
    return False


def _check_against_model(guide: Guide, name: str) -> None:
    from tenderwatch.detection import get_model

    try:
        model = get_model(guide.model_id)
    except KeyError:
        raise GuideError(f"{name}: model_id: no detection model {guide.model_id}") from None
    for index, rule in enumerate(guide.rules):
        if not rule_in_sql(rule.id, model.SQL):
            raise GuideError(f"{name}: rules[{index}] (id={rule.id}): {model.ID} never emits this rule")


def load_guide(path: Path, common: dict[str, Any]) -> Guide:
    name = path.name
    data = _resolve(_read_yaml(path), common, name)
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise GuideError(
            f"{name}: {_where(data, tuple(first['loc']))}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from exc
    if f"{guide.model_id}.yaml" != name:
        raise GuideError(f"{name}: model_id: {guide.model_id} does not match the file name")
    _check_against_model(guide, name)
    return guide


def load_guides(data_dir: Path = DATA_DIR) -> dict[str, Guide]:
    """Every guide in a directory, by model id (an uncached load, for tests and tools)."""
    common = _read_yaml(data_dir / COMMON_FILE)
    guides: dict[str, Guide] = {}
    for path in sorted(data_dir.iterdir()):
        if _GUIDE_FILE.match(path.name):
            guide = load_guide(path, common)
            guides[guide.model_id] = guide
    return guides


@cache
def _packaged() -> dict[str, Guide]:
    return load_guides(DATA_DIR)


def all_guides() -> list[Guide]:
    """All packaged guides in model-id order (loaded and validated once per process)."""
    return [g for _, g in sorted(_packaged().items())]


def get_guide(model_id: str) -> Guide:
    """The guide of one model; ``KeyError`` when the model has none."""
    return _packaged()[model_id.upper()]

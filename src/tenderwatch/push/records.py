"""Turning events into catalogue records (text, like a delivered file) and the push-only reasons."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenderwatch.catalog.schemas import Catalog
from tenderwatch.ingest.readers import _json_cell as json_cell  # the JSON reader's cell text: parity
from tenderwatch.push.events import KINDS
from tenderwatch.push.schemas import EventIn

# Reasons only the push API gives (the record reasons are the import's own, ingest/messages.py).
PUSH_REASONS: dict[str, tuple[str, str]] = {
    "event_id_conflict": (
        "事件编号“{value}”已用于内容不同的事件，请使用新的事件编号",
        "event id '{value}' was already used for an event with a different body; use a new event id",
    ),
    "bad_nested": (
        "“{value}”应为{detail}",
        "'{value}' must be {detail}",
    ),
    "unknown_nested": (
        "“{value}”不能随此类事件推送",
        "'{value}' cannot be pushed with this kind of event",
    ),
    "unknown_section": (
        "标段“{value}”不存在（请先推送标段公告）",
        "section '{value}' does not exist (push the section announcement first)",
    ),
    "bad_envelope": (
        "事件格式错误：{value}",
        "malformed event: {detail}",
    ),
    "event_rejected": (
        "同一事件的其他记录被拒收，本记录一并拒收",
        "another record of the same event was rejected, so this one is rejected with it",
    ),
}


def push_reason(code: str, value: str = "", detail_zh: str = "", detail_en: str = "") -> tuple[str, str]:
    zh, en = PUSH_REASONS[code]
    return zh.format(value=value, detail=detail_zh), en.format(value=value, detail=detail_en)


@dataclass(slots=True)
class Problem:
    field: str
    code: str
    zh: str
    en: str
    dataset: str | None = None


@dataclass(slots=True)
class Unit:
    """One new event on its way: its records per dataset, or the problems that reject it."""

    index: int  # position in the request, 1-based
    event: EventIn
    sha: str
    records: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def section_code(self) -> str | None:
        code = self.event.payload.get("section_code")
        return None if code is None else str(code)


def body_hash(event: EventIn) -> str:
    text = json.dumps(
        event.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _text_record(values: dict[str, Any]) -> dict[str, str]:
    return {str(k): json_cell(v) for k, v in values.items()}


def build_records(unit: Unit, catalog: Catalog, current: dict[str, dict[str, Any]]) -> None:
    """Fill ``unit.records`` from the payload, or ``unit.problems`` when its shape is wrong.

    ``current`` maps a section code to its current record in the lake (typed values), for updates.
    """
    kind = KINDS[unit.event.type]
    payload = dict(unit.event.payload)
    if kind.mode == "update":
        _update(unit, kind.dataset, kind.changes, kind.default_from_time, payload, current)
        return
    primary = catalog.dataset(kind.dataset)
    nested_values = {name: payload.pop(name) for name in list(payload) if name in kind.nested}
    for name in list(payload):
        if catalog.has(name) and name not in primary.field_names:
            zh, en = push_reason("unknown_nested", name)
            unit.problems.append(Problem(name, "unknown_nested", zh, en))
    unit.records[kind.dataset] = [_text_record(payload)]
    for name, value in nested_values.items():
        many = name in kind.many
        items = value if many and isinstance(value, list) else [value] if not many else None
        if items is None or not all(isinstance(item, dict) for item in items):
            zh, en = push_reason(
                "bad_nested",
                name,
                "对象数组" if many else "对象",
                "a list of objects" if many else "an object",
            )
            unit.problems.append(Problem(name, "bad_nested", zh, en))
            continue
        nested = catalog.dataset(name)
        shared = (set(nested.key) | set(primary.key)) & set(nested.field_names)
        inherited = {k: payload[k] for k in shared if k in payload}
        unit.records[name] = [_text_record({**inherited, **item}) for item in items]


def _update(
    unit: Unit,
    dataset: str,
    changes: tuple[str, ...],
    default_from_time: str | None,
    payload: dict[str, Any],
    current: dict[str, dict[str, Any]],
) -> None:
    code = unit.section_code
    record = current.get(code or "")
    if record is None:
        zh, en = push_reason("unknown_section", code or "")
        unit.problems.append(Problem("section_code", "unknown_section", zh, en, dataset))
        return
    merged = {k: _lake_text(v) for k, v in record.items()}
    for name in changes:
        if name in payload:
            merged[name] = json_cell(payload[name])
    if default_from_time is not None and default_from_time not in payload:
        merged[default_from_time] = unit.event.occurred_at.strftime("%Y-%m-%d %H:%M:%S")
    unit.records[dataset] = [merged]


def _lake_text(value: Any) -> str:
    """A typed lake value back in the catalogue's delivered format, so the record validates again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)

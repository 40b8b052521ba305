"""Running models on a backend (DuckDB or Spark) and turning their rows into hits.

Both backends get the same rendered query (Spark's transpiled by SQLGlot) and the same
``sections_in_scope`` view; the grouping into hits is shared Python, so their hits can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tenderwatch.engine.base import SEVERITY_RANK, DetectionModel, EvidenceItem, Hit
from tenderwatch.engine.config import Mode, ModelConfig


class Backend(Protocol):
    name: str

    def define_scope(self, predicate: str) -> None: ...

    def rows(self, sql: str) -> Sequence[Sequence[object]]: ...


@dataclass(slots=True)
class ModelOutcome:
    model: type[DetectionModel]
    mode: Mode
    params: dict[str, float | int | str]
    hits: list[Hit]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def group_rows(model: type[DetectionModel], rows: Sequence[Sequence[object]]) -> list[Hit]:
    hits: dict[tuple[str | None, str, str], Hit] = {}
    for row in rows:
        section, subject_type, subject_id, entity, severity, rule, dataset, key, field, value = row
        section_code = None if section is None else str(section)
        k = (section_code, str(subject_type), str(subject_id))
        hit = hits.get(k)
        if hit is None:
            hit = Hit(
                model.ID,
                model.VERSION,
                section_code,
                str(subject_type),
                str(subject_id),
                str(severity),
                [],
                [],
            )
            hits[k] = hit
        if SEVERITY_RANK[str(severity)] > SEVERITY_RANK[hit.severity]:
            hit.severity = str(severity)
        if entity is not None and str(entity) not in hit.entities:
            hit.entities.append(str(entity))
        if str(rule) not in hit.rules:
            hit.rules.append(str(rule))
        hit.evidence.append(
            EvidenceItem(
                _text(entity), str(rule), str(severity), str(dataset), _text(key), str(field), _text(value)
            )
        )
    for hit in hits.values():
        # Engines return rows in any order; sorting makes hits identical across engines and runs.
        hit.entities.sort()
        hit.rules.sort()
        # Every field is in the key (severity too), and a row a query repeated says nothing new.
        unique = {
            (e.entity_id, e.rule, e.severity, e.dataset, e.record_key, e.field, e.value): e
            for e in hit.evidence
        }
        hit.evidence = [unique[k] for k in sorted(unique)]
    return sorted(hits.values(), key=lambda h: (h.section_code or "", h.subject_type, h.subject_id))


def run_model(
    backend: Backend,
    model: type[DetectionModel],
    config: ModelConfig,
    region: str | None = None,
    sections: Sequence[str] | None = None,
) -> list[ModelOutcome]:
    """Run one model over every scope of its configuration, optionally within one region prefix or
    for given sections only (the real-time path: a section's bids were just opened)."""
    outcomes: list[ModelOutcome] = []
    for scope, predicate in config.scopes():
        if scope.mode == "off":
            continue
        if region:
            predicate = f"({predicate}) AND region_code LIKE '{region}%'"
        if sections is not None:
            quoted = ", ".join("'" + s.replace("'", "''") + "'" for s in sections) or "NULL"
            predicate = f"({predicate}) AND section_code IN ({quoted})"
        params = model.params(scope.params)
        backend.define_scope(predicate)
        rows = backend.rows(model.render_sql(params))
        outcomes.append(ModelOutcome(model, scope.mode, params, group_rows(model, rows)))
    return outcomes

"""Raising warnings from hits: merge per section and subject, grade, explain; never duplicate.

Re-running detection finds the existing warning by its fingerprint and adds what is new (models,
evidence), recording an event for each change; a warning is never raised twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit
from tenderwatch.common.regions import REGIONS
from tenderwatch.db import utcnow
from tenderwatch.detection import get_model
from tenderwatch.engine.base import Hit
from tenderwatch.warning.grading import grade
from tenderwatch.warning.models import Warning, WarningEvent


@dataclass(frozen=True, slots=True)
class Place:
    region_code: str
    industry: str | None


def fingerprint(section_code: str | None, subject_type: str, subject_id: str) -> str:
    return f"{section_code or '-'}|{subject_type}|{subject_id}"


def entity_region(subject_type: str, subject_id: str) -> str:
    """Where an entity-level warning goes: the registration region in the USCC or ID number."""
    code = subject_id[2:8] if subject_type == "company" else subject_id[:6]
    if code in REGIONS:
        return code
    city = code[:4] + "00"
    return city if city in REGIONS else "330000"


def raise_warnings(
    session: Session, hits: Iterable[tuple[Hit, int]], places: dict[str, Place]
) -> dict[str, int]:
    """Merge ``(hit, stored hit id)`` pairs of active models into warnings. Returns counts by outcome."""
    grouped: dict[str, list[tuple[Hit, int]]] = {}
    for hit, hit_id in hits:
        grouped.setdefault(fingerprint(hit.section_code, hit.subject_type, hit.subject_id), []).append(
            (hit, hit_id)
        )
    existing: dict[str, Warning] = {}
    keys = list(grouped)
    for start in range(0, len(keys), 1000):  # databases cap the number of bound parameters
        query = select(Warning).where(Warning.fingerprint.in_(keys[start : start + 1000]))
        existing.update({w.fingerprint: w for w in session.scalars(query)})
    counts = {"raised": 0, "updated": 0, "unchanged": 0}
    for key, items in grouped.items():
        warning = existing.get(key)
        first = items[0][0]
        if warning is None:
            place = places.get(first.section_code or "") or Place(
                entity_region(first.subject_type, first.subject_id), None
            )
            warning = Warning(
                fingerprint=key,
                section_code=first.section_code,
                subject_type=first.subject_type,
                subject_id=first.subject_id,
                region_code=place.region_code,
                industry=place.industry,
                models=[],
                evidence=[],
                entities=[],
                hit_ids=[],
                legal_basis=[],
                benign=[],
            )
            session.add(warning)
            outcome = "raised"
        else:
            outcome = "unchanged"
        changed = _merge(warning, items)
        if outcome == "raised":
            # No flush per warning: the event's key is set when the whole batch is flushed once
            # (a flush per row re-walks the growing session and makes a province run quadratic).
            warning.events.append(WarningEvent(kind="raised", detail={"grade": warning.grade}))
        elif changed:
            outcome = "updated"
            warning.updated_at = utcnow()
            warning.events.append(WarningEvent(kind="evidence_added", detail=changed))
        counts[outcome] += 1
    if counts["raised"] or counts["updated"]:
        # One change per detection pass, not per warning: each warning's own events say what changed
        # on it, and a province run raises thousands (one audit append each would be the slow part).
        audit(session, "system", "change", "warning", "detection", details=dict(counts))
    return counts


def _merge(warning: Warning, items: list[tuple[Hit, int]]) -> dict[str, object]:
    """Fold hits into the warning; returns what changed (empty when nothing did)."""
    models = {m["id"]: m for m in warning.models}
    evidence = {tuple(sorted(e.items())): e for e in warning.evidence}
    before = (len(models), len(evidence), warning.grade if warning.models else None)
    entities = list(warning.entities)
    for hit, hit_id in items:
        model = get_model(hit.model_id)
        models[hit.model_id] = {
            "id": hit.model_id,
            "version": hit.model_version,
            "severity": hit.severity,
            "rules": hit.rules,
            "explanation_zh": model.explain(hit, "zh_CN"),
            "explanation_en": model.explain(hit, "en"),
        }
        for row in hit.evidence_rows():
            evidence.setdefault(tuple(sorted(row.items())), row)
        entities.extend(e for e in hit.entities if e not in entities)
        if hit_id not in warning.hit_ids:
            warning.hit_ids = [*warning.hit_ids, hit_id]
    classes = [(get_model(m["id"]), str(m["severity"])) for m in models.values()]
    result = grade(classes)
    warning.models = sorted(models.values(), key=lambda m: str(m["id"]))
    warning.evidence = sorted(evidence.values(), key=lambda e: tuple(e.values()))
    warning.entities = sorted(entities)
    warning.grade, warning.grade_reason_zh, warning.grade_reason_en = (
        result.grade,
        result.reason_zh,
        result.reason_en,
    )
    legal: dict[str, dict[str, str]] = {}
    benign: dict[str, dict[str, str]] = {}
    for model_id in sorted(models):
        model = get_model(model_id)
        for basis in model.LEGAL_BASIS:
            legal.setdefault(basis.zh, {"zh": basis.zh, "en": basis.en, "model": model_id})
        for b_zh, b_en in model.BENIGN:
            benign.setdefault(b_zh, {"zh": b_zh, "en": b_en, "model": model_id})
    warning.legal_basis = list(legal.values())
    warning.benign = list(benign.values())
    # The explanation is rebuilt from every model on the warning, so a partial rerun keeps the others'.
    warning.explanation_zh = "；".join(str(m["explanation_zh"]) for m in warning.models)
    warning.explanation_en = "; ".join(str(m["explanation_en"]) for m in warning.models)
    after = (len(models), len(evidence), warning.grade)
    if before == after:
        return {}
    return {"models": len(models), "evidence": len(evidence), "grade": warning.grade}

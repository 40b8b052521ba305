"""The real-time path: an opened section's per-section models run at once, through the normal detection
and warning flows, and each new warning is routed to its department as the demo and the nightly job do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tenderwatch.case.flows import open_case
from tenderwatch.case.models import Case, Department
from tenderwatch.case.routing import seed_departments
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.detection import MODELS
from tenderwatch.engine.flows import detect
from tenderwatch.warning.models import Warning

SECTION_MODELS = tuple(m.ID for m in MODELS if m.SUBJECT == "section")


@dataclass(frozen=True, slots=True)
class SectionWarning:
    id: int
    grade: str
    status: str
    section_code: str | None
    models: list[str]
    case_id: int | None


def run_sections(db: Database, settings: Settings, codes: list[str]) -> tuple[list[SectionWarning], float]:
    """Run the per-section models for ``codes``; returns the sections' warnings and the seconds taken."""
    started = time.perf_counter()
    wanted = sorted(set(codes))
    detect(db, model_ids=list(SECTION_MODELS), sections=wanted)
    with db.transaction() as session:
        warnings = list(
            session.scalars(select(Warning).where(Warning.section_code.in_(wanted)).order_by(Warning.id))
        )
        cases = {
            c.warning_id: c
            for c in session.scalars(select(Case).where(Case.warning_id.in_([w.id for w in warnings])))
        }
        if settings.push_open_cases and any(w.id not in cases for w in warnings):
            if session.scalar(select(Department.id).limit(1)) is None:
                seed_departments(db_session=session)
            for warning in warnings:
                if warning.id not in cases:
                    cases[warning.id] = open_case(
                        db_session=session, settings=settings, warning=warning, today=date.today()
                    )
        result = [summarise(w, cases.get(w.id)) for w in warnings]
    return result, time.perf_counter() - started


def summarise(warning: Warning, case: Case | None) -> SectionWarning:
    return SectionWarning(
        warning.id,
        warning.grade,
        warning.status,
        warning.section_code,
        [str(m["id"]) for m in warning.models],
        case.id if case is not None else None,
    )

"""Award clearance (中标前暂缓): a section with a holding warning raised before its award notice waits
until the warning's case is signed for by its regulator.

The rule, from Settings: a warning of a grade in ``award_hold_grades`` on the section, raised before the
award was known (first accepted award push, or the award's first lake batch), holds the section while
its case is not in ``award_hold_release_states`` (no case yet holds too: nobody has seen it). Procedures
in ``award_hold_exempt_procedures`` and sections in ``award_hold_exempt_sections`` are never held.
The answer names grades, states and ids only: the evidence stays with the regulator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.case.lifecycle import STATE_LABELS
from tenderwatch.case.models import Case
from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.models import Batch
from tenderwatch.lake import views
from tenderwatch.push import service
from tenderwatch.push.realtime import SectionWarning, summarise
from tenderwatch.warning.models import Warning

GRADE_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}


@dataclass(slots=True)
class Hold:
    code: str
    zh: str
    en: str
    warning_id: int | None = None
    case_id: int | None = None
    case_state: str | None = None


@dataclass(slots=True)
class Clearance:
    section_code: str
    region_code: str
    clear: bool
    reasons: list[Hold] = field(default_factory=list)
    warnings: list[SectionWarning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SectionFacts:
    region_code: str
    procedure: str
    award_batch_at: datetime | None  # when the award first reached the lake, if it has


def section_facts(*, db_session: Session, settings: Settings, section_code: str) -> SectionFacts | None:
    batches = ingest_service.committed_lake_batches(db_session=db_session, lake_dir=settings.lake_dir)
    con = views.connect(get_catalog(), batches, settings.duckdb_memory_limit, settings.duckdb_threads)
    try:
        row = con.execute(
            "SELECT region_code, procedure FROM sections WHERE section_code = ?", [section_code]
        ).fetchone()
        award = con.execute(
            "SELECT min(_batch_id) FROM awards__history WHERE section_code = ?", [section_code]
        ).fetchone()
    finally:
        con.close()
    if row is None:
        return None
    award_at = None
    if award is not None and award[0] is not None:
        batch = db_session.get(Batch, int(award[0]))
        award_at = batch.created_at if batch is not None else None
    return SectionFacts(str(row[0]), str(row[1]), award_at)


def check(*, db_session: Session, settings: Settings, section_code: str, facts: SectionFacts) -> Clearance:
    warnings = list(
        db_session.scalars(select(Warning).where(Warning.section_code == section_code).order_by(Warning.id))
    )
    cases = {
        c.warning_id: c
        for c in db_session.scalars(select(Case).where(Case.warning_id.in_([w.id for w in warnings])))
    }
    result = Clearance(
        section_code, facts.region_code, True, warnings=[summarise(w, cases.get(w.id)) for w in warnings]
    )
    if not settings.award_hold_enabled:
        return result
    if (
        facts.procedure in settings.award_hold_exempt_procedures
        or section_code in settings.award_hold_exempt_sections
    ):
        result.reasons.append(
            Hold("exempt", "该标段按规定不适用中标前暂缓", "This section is exempt from the pre-award hold")
        )
        return result
    pushed = service.first_award_at(db_session=db_session, section_code=section_code)
    award_at = min((t for t in (pushed, facts.award_batch_at) if t is not None), default=None)
    for warning in warnings:
        if warning.grade not in settings.award_hold_grades:
            continue
        if award_at is not None and warning.first_raised_at >= award_at:
            continue  # raised after the award notice: verified afterwards, it does not hold the award
        case = cases.get(warning.id)
        if case is not None and case.state in settings.award_hold_release_states:
            continue
        result.clear = False
        result.reasons.append(_hold(warning, case))
    return result


def _hold(warning: Warning, case: Case | None) -> Hold:
    grade_zh = GRADE_ZH.get(warning.grade, warning.grade)
    if case is None:
        return Hold(
            "warning_not_routed",
            f"{grade_zh}预警{warning.id}尚未分办到监管部门，请暂缓发出中标通知书",
            f"{warning.grade} warning {warning.id} is not yet routed to its regulator; hold the award notice",
            warning.id,
        )
    state_zh, state_en = STATE_LABELS.get(case.state, (case.state, case.state))
    return Hold(
        "warning_not_accepted",
        f"{grade_zh}预警{warning.id}（案件{case.id}，{state_zh}）尚未由监管部门签收，请暂缓发出中标通知书",
        f"{warning.grade} warning {warning.id} (case {case.id}, {state_en}) is not yet accepted by its "
        "regulator; hold the award notice",
        warning.id,
        case.id,
        case.state,
    )

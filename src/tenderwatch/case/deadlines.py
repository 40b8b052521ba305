"""Deadlines per grade on the working-day calendar, and the tick that marks overdue cases and escalates
them one level up (督办).

Defaults follow DOMAIN.md §5.2 (settings ``case_deadline_days`` / ``case_deadline_units``): red — sign
for it within 1 working day and feed back within 10 working days; orange — 15 working days; yellow — 30
calendar days. Days count from the day the case is assigned, which itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.case import calendar, notify, service
from tenderwatch.case.lifecycle import OPEN
from tenderwatch.case.models import Case, Department
from tenderwatch.case.routing import parent_department
from tenderwatch.config import Settings


def feedback_due(settings: Settings, grade: str, start: date) -> tuple[date, bool]:
    days = settings.case_deadline_days.get(grade, settings.case_deadline_days.get("yellow", 30))
    unit = settings.case_deadline_units.get(grade, "working")
    return calendar.add_days(start, days, unit)


def accept_due(settings: Settings, grade: str, start: date) -> date | None:
    if grade != "red":
        return None
    return calendar.add_working_days(start, settings.case_accept_days_red)[0]


def is_overdue(case: Case, today: date) -> bool:
    late_accept = case.state == "assigned" and case.accept_due is not None and today > case.accept_due
    # Feedback is in once it is submitted; review time is the reviewer's, not the handler's, deadline.
    late_feedback = case.state in OPEN - {"feedback_submitted"} and today > case.due_date
    return late_accept or late_feedback


@dataclass
class TickResult:
    overdue: list[int]
    supervised: list[int]


@service.guarded
def tick(*, db_session: Session, today: date) -> TickResult:
    """Mark newly overdue cases and escalate each to the department one level up (督办), with notices."""
    from tenderwatch.case.flows import SYSTEM, _event, _flush

    result = TickResult([], [])
    candidates = db_session.scalars(
        select(Case).where(Case.state.in_(OPEN), Case.overdue.is_(False)).order_by(Case.id)
    ).all()
    for case in candidates:
        if not is_overdue(case, today):
            continue
        case.overdue = True
        result.overdue.append(case.id)
        _event(db_session, case, "overdue", SYSTEM, None, due=str(case.due_date), on=str(today))
        dept = db_session.scalars(select(Department).where(Department.code == case.department_code)).one()
        parent = parent_department(db_session=db_session, dept=dept)
        # A provincial department has no level above it: its overdue case shows on the oversight view
        # (and to the provincial inspectors) without a supervising department.
        if parent is not None:
            case.supervised_by = parent.code
            result.supervised.append(case.id)
            _event(db_session, case, "supervised", SYSTEM, None, by=parent.code)
        for target in (dept, parent) if parent else (dept,):
            notify.queue(
                db_session=db_session,
                case=case,
                kind="overdue",
                department=target,
                title_zh=f"督办：案件{case.id}已超期（期限{case.due_date}），{dept.name_zh}",
                title_en=f"Supervision: case {case.id} is overdue (due {case.due_date}), {dept.code}",
            )
        _flush(db_session)
    return result

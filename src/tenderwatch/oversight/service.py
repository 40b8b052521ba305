"""Oversight reads and steps over the cases of an inspector's jurisdiction.

Scope is the inspector's grants only (region prefix, and the industries if the grant names them), applied
as a SQL filter — the same rule as the case list, but without the regulator and reviewer grants: oversight
is the discipline inspectors' view (docs/oversight.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case import service as case_service
from tenderwatch.case.calendar import local_date
from tenderwatch.case.flows import _event, _flush
from tenderwatch.case.models import Case, CaseEvent
from tenderwatch.graph.service import Graph
from tenderwatch.oversight import analytics, sampling
from tenderwatch.oversight.analytics import ClosedCase, GroupRate
from tenderwatch.oversight.conflicts import Conflict, find_conflicts
from tenderwatch.warning.models import Warning

ROLE = "inspector"
CONCLUDED = ("closed", "transferred")
RECUSAL = "recusal_required"
SAMPLED = "reverify_sample"


def scope(user: User) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    for grant in user.grants:
        if grant.role != ROLE:
            continue
        cond = Case.region_prefix.startswith(grant.region_prefix, autoescape=True)
        if grant.industries:
            cond = cond & Case.industry.in_(grant.industries)
        conditions.append(cond)
    return or_(*conditions) if conditions else false()


def jurisdiction_key(user: User) -> str:
    """The inspector's grants as one stable string: the sample's seed does not depend on grant order."""
    parts = sorted(
        f"{g.region_prefix}:{','.join(sorted(g.industries))}" for g in user.grants if g.role == ROLE
    )
    return ";".join(parts)


def _last_event_dates(db_session: Session, case_ids: list[int], kind: str) -> dict[int, datetime]:
    if not case_ids:
        return {}
    rows = db_session.execute(
        select(CaseEvent.case_id, func.max(CaseEvent.at))
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == kind)
        .group_by(CaseEvent.case_id)
    )
    return {int(cid): at for cid, at in rows}


def closed_cases(*, db_session: Session, user: User) -> list[ClosedCase]:
    """Concluded cases of the jurisdiction with their handler, outcome, companies, region and dates."""
    rows = db_session.execute(
        select(Case, Warning)
        .join(Warning, Warning.id == Case.warning_id)
        .where(scope(user), Case.state.in_(CONCLUDED), Case.handler.is_not(None))
        .order_by(Case.id)
    ).all()
    submitted = _last_event_dates(db_session, [c.id for c, _ in rows], "submit")
    out: list[ClosedCase] = []
    for case, warning in rows:
        outcome = (case.conclusion or {}).get("outcome")
        at = submitted.get(case.id)
        if not outcome or at is None:
            continue  # transferred by an inspector without a conclusion: nobody cleared anything
        out.append(
            ClosedCase(
                case_id=case.id,
                handler=str(case.handler),
                outcome=str(outcome),
                companies=tuple(sorted(e for e in warning.entities if len(e) == 18)),
                region=warning.region_code,
                due_date=case.due_date,
                concluded_on=local_date(at),
            )
        )
    return out


@dataclass(slots=True)
class Report:
    cases: int
    handlers: list[GroupRate]
    pairs: list[GroupRate]
    regions: list[GroupRate]
    deadline_edge: list[GroupRate]


def report(*, db_session: Session, user: User) -> Report:
    cases = closed_cases(db_session=db_session, user=user)
    return Report(
        cases=len(cases),
        handlers=analytics.by_handler(cases),
        pairs=analytics.by_handler_company(cases),
        regions=analytics.by_region(cases),
        deadline_edge=analytics.deadline_edge(cases),
    )


def watch_list(*, db_session: Session, user: User) -> list[Case]:
    """Open cases that are overdue or under supervision (督办)."""
    query = select(Case).where(
        scope(user),
        Case.state.not_in(("closed", "transferred", "merged")),
        or_(Case.overdue.is_(True), Case.supervised_by.is_not(None)),
    )
    return list(db_session.scalars(query.order_by(Case.due_date, Case.id)))


@case_service.guarded
def record_conflicts(
    *, db_session: Session, user: User | None, graph: Graph, identities: dict[str, list[str]]
) -> list[Conflict]:
    """Find conflicts on the cases still to be decided or reviewed (and the concluded ones, for the
    record) and write one ``recusal_required`` event per (user, company) not yet recorded."""
    query = select(Case, Warning).join(Warning, Warning.id == Case.warning_id).where(Case.state != "merged")
    if user is not None:
        query = query.where(scope(user))
    found: list[Conflict] = []
    for case, warning in db_session.execute(query.order_by(Case.id)).all():
        companies = [e for e in warning.entities if len(e) == 18]
        conflicts = find_conflicts(graph, case, companies, identities)
        recorded = {(e.detail.get("user"), e.detail.get("company")) for e in case.events if e.kind == RECUSAL}
        for c in conflicts:
            found.append(c)
            if (c.username, c.company) in recorded:
                continue
            recorded.add((c.username, c.company))
            # The path's person node is an ID number: only the relations and the company are kept.
            _event(
                db_session,
                case,
                RECUSAL,
                user.username if user else "system",
                None,
                user=c.username,
                role=c.role,
                company=c.company,
                relations=list(c.relations),
            )
    _flush(db_session)
    return found


def population(*, db_session: Session, user: User, period: str) -> list[int]:
    """Closed 查否 cases of the jurisdiction approved in ``period`` (YYYY-MM, Beijing time)."""
    rows = db_session.scalars(select(Case).where(scope(user), Case.state == "closed").order_by(Case.id)).all()
    ids = [c.id for c in rows if (c.conclusion or {}).get("outcome") == "unfounded"]
    approved = _last_event_dates(db_session, ids, "approve")
    return [i for i in ids if i in approved and local_date(approved[i]).isoformat()[:7] == period]


@case_service.guarded
def draw_sample(*, db_session: Session, user: User, period: str) -> list[int]:
    """Draw (or redraw: the same cases) the period's sample and mark each drawn case with an event."""
    picked = sampling.draw(
        population(db_session=db_session, user=user, period=period), period, jurisdiction_key(user)
    )
    for case_id in picked:
        case = db_session.get_one(Case, case_id)
        if any(e.kind == SAMPLED and e.detail.get("period") == period for e in case.events):
            continue
        _event(db_session, case, SAMPLED, user.username, None, period=period, rate=sampling.RATE)
    _flush(db_session)
    return picked


def sampled(*, db_session: Session, user: User, period: str | None = None) -> list[tuple[Case, str]]:
    """Cases of the jurisdiction marked for re-verification, with the period they were drawn for."""
    rows = db_session.execute(
        select(Case, CaseEvent)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(scope(user), CaseEvent.kind == SAMPLED)
        .order_by(CaseEvent.id)
    ).all()
    return [
        (case, str(event.detail.get("period")))
        for case, event in rows
        if period is None or event.detail.get("period") == period
    ]

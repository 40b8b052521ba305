"""Oversight pages (/oversight) and JSON (/api/v1/oversight/…), for discipline inspectors only.

Inspector only, not admin: the system administrator runs the platform and has no case jurisdiction;
oversight is the discipline commission's read-and-challenge view (WORKFLOW-ANCHORS §6 item 5).
Writes are the inspector's own oversight steps — drawing the sample and recording conflicts — and go
through the case events; reopening is the case page's existing action.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case.calendar import local_date
from tenderwatch.case.pages import STATE_LABELS
from tenderwatch.db import Database, utcnow
from tenderwatch.graph.edges import RELATION_LABELS
from tenderwatch.graph.flows import get_graph
from tenderwatch.oversight import service
from tenderwatch.oversight.analytics import GroupRate
from tenderwatch.oversight.conflicts import Conflict, load_identities
from tenderwatch.web.deps import DbSession, check_csrf, get_database, require_role
from tenderwatch.web.templating import render

api_router = APIRouter(prefix="/oversight", tags=["oversight"])
router = APIRouter(include_in_schema=False)
Inspector = Annotated[User, Depends(require_role(service.ROLE))]
Db = Annotated[Database, Depends(get_database)]
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _period(period: str | None) -> str:
    if period is None:
        return local_date(utcnow()).isoformat()[:7]
    if not PERIOD.match(period):
        raise HTTPException(status_code=422, detail="period must be YYYY-MM")
    return period


def _rate(g: GroupRate) -> dict[str, Any]:
    return {
        "key": list(g.key),
        "cases": g.cases,
        "hits": g.hits,
        "rate": round(g.rate, 4),
        "fence": None if g.fence is None else round(g.fence, 4),
        "flagged": g.flagged,
        "case_ids": g.case_ids,
    }


def _conflict(c: Conflict) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "user": c.username,
        "role": c.role,
        "company": c.company,
        "relations": list(c.relations),
    }


def _scan(db_session: Session, database: Database, user: User) -> list[Conflict]:
    found = service.record_conflicts(
        db_session=db_session,
        user=user,
        graph=get_graph(database),
        identities=load_identities(db_session),
    )
    db_session.commit()
    return found


@api_router.get("/analytics")
def analytics_json(db_session: DbSession, user: Inspector) -> dict[str, Any]:
    rep = service.report(db_session=db_session, user=user)
    return {
        "cases": rep.cases,
        "unfounded_by_handler": [_rate(g) for g in rep.handlers],
        "unfounded_by_handler_company": [_rate(g) for g in rep.pairs],
        "unfounded_by_region": [_rate(g) for g in rep.regions],
        "deadline_edge_by_handler": [_rate(g) for g in rep.deadline_edge],
    }


@api_router.get("/watch")
def watch_json(db_session: DbSession, user: Inspector) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "state": c.state,
            "handler": c.handler,
            "due_date": c.due_date.isoformat(),
            "overdue": c.overdue,
            "supervised_by": c.supervised_by,
        }
        for c in service.watch_list(db_session=db_session, user=user)
    ]


@api_router.get("/sample")
def sample_json(db_session: DbSession, user: Inspector, period: str | None = None) -> dict[str, Any]:
    chosen = _period(period)
    rows = service.sampled(db_session=db_session, user=user, period=chosen)
    return {"period": chosen, "cases": [{"id": c.id, "state": c.state} for c, _ in rows]}


@api_router.post("/sample")
def draw_json(
    request: Request, db_session: DbSession, user: Inspector, period: str | None = None
) -> dict[str, Any]:
    check_csrf(request, request.headers.get("X-CSRF-Token"))
    chosen = _period(period)
    picked = service.draw_sample(db_session=db_session, user=user, period=chosen)
    db_session.commit()
    return {"period": chosen, "case_ids": picked}


@api_router.post("/conflicts")
def conflicts_json(
    request: Request, db_session: DbSession, database: Db, user: Inspector
) -> list[dict[str, Any]]:
    check_csrf(request, request.headers.get("X-CSRF-Token"))
    return [_conflict(c) for c in _scan(db_session, database, user)]


@router.get("/oversight")
def oversight_page(
    request: Request, db_session: DbSession, user: Inspector, period: str | None = None
) -> Response:
    chosen = _period(period)
    context = {
        "report": service.report(db_session=db_session, user=user),
        "watch": service.watch_list(db_session=db_session, user=user),
        "sample": service.sampled(db_session=db_session, user=user, period=chosen),
        "period": chosen,
        "state_labels": STATE_LABELS,
    }
    return render(request, "oversight/index.html", context)


@router.post("/oversight/sample")
def draw_page(
    request: Request,
    db_session: DbSession,
    user: Inspector,
    csrf_token: Annotated[str, Form()],
    period: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf_token)
    chosen = _period(period)
    service.draw_sample(db_session=db_session, user=user, period=chosen)
    db_session.commit()
    return RedirectResponse(f"/oversight?period={chosen}", status_code=303)


@router.post("/oversight/conflicts")
def conflicts_page(
    request: Request, db_session: DbSession, database: Db, user: Inspector, csrf_token: Annotated[str, Form()]
) -> Response:
    check_csrf(request, csrf_token)
    found = _scan(db_session, database, user)
    context = {"conflicts": found, "relation_labels": RELATION_LABELS}
    return render(request, "oversight/conflicts.html", context)

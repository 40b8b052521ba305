"""Push API (machine tokens): ``POST /api/v1/events`` and ``GET /api/v1/sections/{id}/award-clearance``.

Both answer errors as ``{"error": {"code", "zh", "en"}}`` (``ApiErrorRoute``). Platforms and data
stewards' push clients may push; only platforms ask for clearance, and only for sections in the regions
of their grants (others answer 404, like sections that do not exist).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from tenderwatch.auth.tokens import ApiError, ApiErrorRoute, TokenPrincipal, require_token
from tenderwatch.config import Settings
from tenderwatch.db import Database, utcnow
from tenderwatch.lake.warm import WarmLake
from tenderwatch.push import clearance
from tenderwatch.push.flows import push_raw
from tenderwatch.push.realtime import SectionWarning, run_sections
from tenderwatch.push.schemas import (
    ClearanceOut,
    EventResult,
    HoldReason,
    ProblemOut,
    PushRequest,
    PushResponse,
    WarningOut,
)
from tenderwatch.web.deps import DbSession

api_router = APIRouter(tags=["push"], route_class=ApiErrorRoute)

Pusher = Annotated[TokenPrincipal, Depends(require_token("platform", "data_steward"))]
Platform = Annotated[TokenPrincipal, Depends(require_token("platform"))]


def _warning(w: SectionWarning) -> WarningOut:
    return WarningOut(
        id=w.id,
        grade=w.grade,
        status=w.status,
        section_code=w.section_code,
        models=w.models,
        case_id=w.case_id,
    )


@api_router.post("/events", response_model=PushResponse)
def push(body: PushRequest, request: Request, caller: Pusher) -> PushResponse:
    """推送招投标事件 / Push bidding events (validated like file import, idempotent by event id).

    When a section is opened (or its candidates published), its per-section models run before this
    answer, and the warnings they raise are in it.
    """
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    lake: WarmLake | None = request.app.state.warm_lake
    result = push_raw(db, source=caller.user.username, token_id=caller.token_id, items=body.events, lake=lake)
    by_kind = {
        k: result.accepted_sections[k] for k in settings.push_detect_on if k in result.accepted_sections
    }
    codes = sorted({c for found in by_kind.values() for c in found})
    warnings, seconds = run_sections(db, settings, by_kind, lake) if codes else ([], None)
    return PushResponse(
        received=len(result.outcomes),
        accepted=result.count("accepted"),
        rejected=result.count("rejected"),
        duplicates=sum(1 for o in result.outcomes if o.status == "duplicate"),
        results=[
            EventResult(
                event_id=o.event_id,
                status=o.status,
                outcome=o.outcome,
                problems=[
                    ProblemOut(field=p.field, code=p.code, zh=p.zh, en=p.en, dataset=p.dataset)
                    for p in o.problems
                ],
            )
            for o in result.outcomes
        ],
        opened_sections=codes,
        warnings=[_warning(w) for w in warnings],
        detect_seconds=seconds,
    )


@api_router.get("/sections/{section_id}/award-clearance", response_model=ClearanceOut)
def award_clearance(
    section_id: str, request: Request, db_session: DbSession, caller: Platform
) -> ClearanceOut:
    """中标前放行查询 / May the award notice of this section go out, or must it wait (and why)?"""
    settings: Settings = request.app.state.settings
    facts = clearance.section_facts(db_session=db_session, settings=settings, section_code=section_id)
    prefixes = [g.region_prefix for g in caller.user.grants if g.role == "platform"]
    if facts is None or not any(facts.region_code.startswith(p) for p in prefixes):
        raise ApiError(404, "not_found", f"没有标段“{section_id}”", f"No section '{section_id}'")
    result = clearance.check(db_session=db_session, settings=settings, section_code=section_id, facts=facts)
    return ClearanceOut(
        section_code=result.section_code,
        clear=result.clear,
        reasons=[HoldReason(**asdict(r)) for r in result.reasons],
        warnings=[_warning(w) for w in result.warnings],
        checked_at=utcnow(),
    )

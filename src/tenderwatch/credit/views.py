"""Credit API: the gate for trading platforms (token auth) and one subject's credit for regulators and
inspectors (session auth, filtered by their grants)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from tenderwatch.audit import service as audit
from tenderwatch.auth.models import User
from tenderwatch.auth.tokens import ApiError, ApiErrorRoute, TokenPrincipal, require_token
from tenderwatch.credit import gate
from tenderwatch.credit.lake import LakeCredit, lake_credit
from tenderwatch.credit.schemas import GateRequest, GateResponse, ReasonOut, SubjectOut
from tenderwatch.credit.subject import VIEWER_ROLES, subject_view
from tenderwatch.db import Database, utcnow
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, require_role

api_router = APIRouter(prefix="/credit", tags=["credit"], route_class=ApiErrorRoute)

Platform = Annotated[TokenPrincipal, Depends(require_token("platform"))]


def current_lake(request: Request) -> LakeCredit:
    database: Database = request.app.state.db
    return lake_credit(database)


Lake = Annotated[LakeCredit, Depends(current_lake)]


@api_router.post("/gate", response_model=GateResponse)
def credit_gate(body: GateRequest, db_session: DbSession, lake: Lake, _caller: Platform) -> GateResponse:
    """信用关口：主体能否注册/报名、获取招标文件或投标 / May the subject register, buy documents or bid?

    Any platform token may ask about any region: a ban applies wherever its scope reaches (处处受限).
    """
    checked_at = utcnow()
    try:
        result = gate.check(
            db_session=db_session,
            lake=lake,
            subject_type=body.subject_type,
            subject_id=body.subject_id,
            action=body.action,
            region=body.region,
            industry=body.industry,
            on=body.on or checked_at.date(),
        )
    except UserError as exc:
        raise ApiError(422, "invalid_request", exc.message_zh, exc.message_en) from exc
    return GateResponse(
        decision="allowed" if result.allowed else "blocked",
        subject_id=result.subject_id,
        reasons=[
            ReasonOut(code=r.code, zh=r.zh, en=r.en, source=r.source, until=r.until) for r in result.reasons
        ],
        checked_at=checked_at,
    )


@api_router.get("/subjects/{subject_id}", response_model=SubjectOut)
def credit_subject(
    subject_id: str,
    db_session: DbSession,
    lake: Lake,
    user: Annotated[User, Depends(require_role(*VIEWER_ROLES))],
    on: date | None = None,
) -> SubjectOut:
    """主体信用：不良行为记录、行业信用分、黑名单 / A subject's records, industry scores and blacklist."""
    try:
        view = subject_view(
            db_session=db_session, lake=lake, user=user, subject_id=subject_id[:32], on=on or utcnow().date()
        )
    except UserError as exc:
        raise ApiError(422, "invalid_request", exc.message_zh, exc.message_en) from exc
    if view.subject_type == "person":
        # A person's credit is personal data: who looked at whose is kept (identifier in the erasable part).
        audit.record(
            db_session,
            user.username,
            "view_personal",
            "credit_subject",
            "person",
            personal={"subject_id": view.subject_id},
        )
        db_session.commit()
    return view

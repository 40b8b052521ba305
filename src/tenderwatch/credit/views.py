"""Credit API: the gate for trading platforms (token auth) and one subject's credit for regulators and
inspectors (session auth, filtered by their grants); and the subject's credit page, with the blacklist
decisions of decisions.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from tenderwatch.audit import service as audit
from tenderwatch.auth.models import User
from tenderwatch.auth.tokens import ApiError, ApiErrorRoute, TokenPrincipal, require_token
from tenderwatch.catalog import get_catalog
from tenderwatch.credit import decisions, gate
from tenderwatch.credit.lake import LakeCredit, lake_credit
from tenderwatch.credit.schemas import GateRequest, GateResponse, ReasonOut, SubjectOut
from tenderwatch.credit.subject import VIEWER_ROLES, subject_view
from tenderwatch.db import Database, utcnow
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, get_locale, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import render

api_router = APIRouter(prefix="/credit", tags=["credit"], route_class=ApiErrorRoute)
router = APIRouter(include_in_schema=False)

Platform = Annotated[TokenPrincipal, Depends(require_token("platform"))]


def current_lake(request: Request) -> LakeCredit:
    database: Database = request.app.state.db
    return lake_credit(database)


Lake = Annotated[LakeCredit, Depends(current_lake)]
Viewer = Annotated[User, Depends(require_role(*VIEWER_ROLES))]

KIND_LABELS = {
    "collusion": N_("Collusion"),
    "bribery": N_("Bribery"),
    "lending": N_("Qualification lending"),
    "false_materials": N_("False materials"),
    "expert_misconduct": N_("Expert misconduct"),
    "other": N_("Other bad conduct"),
    "good": N_("Good conduct"),
}
ACTION_LABELS = {
    "register": N_("Registration"),
    "buy_documents": N_("Buying tender documents"),
    "submit_bid": N_("Bid submission"),
}
STATUS_LABELS = {
    "proposed": N_("Proposed"),
    "active": N_("Active"),
    "rejected": N_("Proposal rejected"),
    "revoked": N_("Revoked"),
    "lake": N_("Credit centre"),
}


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
    user: Viewer,
    on: date | None = None,
) -> SubjectOut:
    """主体信用：不良行为记录、行业信用分、黑名单 / A subject's records, industry scores and blacklist."""
    try:
        return _view(db_session, lake, user, subject_id, on)
    except UserError as exc:
        raise ApiError(422, "invalid_request", exc.message_zh, exc.message_en) from exc


def _view(
    db_session: DbSession, lake: LakeCredit, user: User, subject_id: str, on: date | None
) -> SubjectOut:
    view = subject_view(
        db_session=db_session, lake=lake, user=user, subject_id=subject_id[:32], on=on or utcnow().date()
    )
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


@router.get("/credit", name="credit")
def credit_search(
    request: Request, _user: Viewer, subject: Annotated[str | None, Query(max_length=32)] = None
) -> Response:
    if subject and subject.strip():
        return RedirectResponse(f"/credit/subjects/{subject.strip()}", status_code=303)
    return render(request, "credit/subject.html", {"view": None, "error": None, "subject": ""})


@router.get("/credit/subjects/{subject_id}", name="credit_subject")
def credit_subject_page(
    request: Request, subject_id: str, db_session: DbSession, lake: Lake, user: Viewer, on: date | None = None
) -> Response:
    try:
        view = _view(db_session, lake, user, subject_id, on)
    except UserError as exc:
        failed = {"view": None, "error": exc.message(get_locale(request)), "subject": subject_id[:32]}
        return render(request, "credit/subject.html", failed, status_code=422)
    context: dict[str, Any] = {
        "view": view,
        "error": None,
        "subject": view.subject_id,
        "kind_labels": KIND_LABELS,
        "action_labels": ACTION_LABELS,
        "status_labels": STATUS_LABELS,
        "industry_labels": get_catalog().enums["industry"],
        "decidable": decisions.decidable(db_session, user, view.subject_id),
    }
    return render(request, "credit/subject.html", context)


# The decision forms and their JSON twins live in decisions.py; served under these routers' prefixes.
router.include_router(decisions.router)
api_router.include_router(decisions.api_router)

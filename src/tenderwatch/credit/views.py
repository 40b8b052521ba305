"""Credit API: the gate for trading platforms (token auth) and one subject's credit for regulators and
inspectors (session auth, filtered by their grants); the subject's credit page, and its forms that
confirm or reject a proposed blacklist entry and revoke an active one (credit/authority.py says who)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tenderwatch.audit import service as audit
from tenderwatch.auth.models import User
from tenderwatch.auth.tokens import ApiError, ApiErrorRoute, TokenPrincipal, require_token
from tenderwatch.catalog import get_catalog
from tenderwatch.credit import flows, gate, service
from tenderwatch.credit.authority import DECIDER_ROLE, may_decide
from tenderwatch.credit.lake import LakeCredit, lake_credit
from tenderwatch.credit.models import BlacklistEntry
from tenderwatch.credit.schemas import GateRequest, GateResponse, ReasonOut, SubjectOut
from tenderwatch.credit.subject import VIEWER_ROLES, subject_view
from tenderwatch.db import Database, utcnow
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, check_csrf, get_locale, require_role
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
Decider = Annotated[User, Depends(require_role(DECIDER_ROLE))]
FormText = Annotated[str, Form(max_length=2000)]

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
        "decidable": _decidable(db_session, user, view.subject_id),
    }
    return render(request, "credit/subject.html", context)


def _decidable(db_session: Session, user: User, subject_id: str) -> list[BlacklistEntry]:
    """The entries of the subject that ``user`` may decide on now (proposed or active)."""
    return [
        e
        for e in service.blacklist_of(db_session=db_session, subject_id=subject_id)
        if e.status in ("proposed", "active") and may_decide(db_session=db_session, user=user, entry=e)
    ]


def _decide(
    request: Request,
    db_session: Session,
    user: User,
    entry_id: int,
    csrf: str,
    step: Callable[[], object],
) -> Response:
    check_csrf(request, csrf)
    entry = db_session.get(BlacklistEntry, entry_id)
    if entry is None:
        raise HTTPException(status_code=404)
    if not may_decide(db_session=db_session, user=user, entry=entry):
        refused = UserError(
            "该黑名单条目不属于您所在监管部门的管辖，无权作出决定",
            "This blacklist entry is outside your department's jurisdiction; you may not decide on it",
        )
        context = {"status": 403, "message": refused.message(get_locale(request)), "reference": None}
        return render(request, "error.html", context, status_code=403)
    subject_id = entry.subject_id
    try:
        step()
        db_session.commit()
    except UserError:
        db_session.rollback()
        # The rollback expired the signed-in user, whose grants the error page's navigation reads after
        # this session has closed: load them again now.
        db_session.refresh(user)
        list(user.grants)
        raise
    return RedirectResponse(f"/credit/subjects/{subject_id}", status_code=303)


def _day(value: str, zh: str, en: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"{zh}须为日期（YYYY-MM-DD）：{value}", f"{en} must be a date (YYYY-MM-DD): {value}"
        ) from None


def _months(value: str) -> int:
    if not value.strip().isdigit():
        raise UserError(f"期限须为整月数：{value}", f"The period must be a whole number of months: {value}")
    return int(value)


@router.post("/credit/blacklist/{entry_id}/confirm")
def confirm_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Decider,
    csrf_token: FormText = "",
    decision_no: Annotated[str, Form(max_length=128)] = "",
    start_date: Annotated[str, Form(max_length=10)] = "",
    months: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    return _decide(
        request,
        db_session,
        user,
        entry_id,
        csrf_token,
        lambda: flows.confirm_proposal(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            decision_no=decision_no,
            start_date=_day(start_date, "起始日期", "The start date"),
            months=_months(months),
        ),
    )


@router.post("/credit/blacklist/{entry_id}/reject")
def reject_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Decider,
    csrf_token: FormText = "",
    reason: FormText = "",
) -> Response:
    return _decide(
        request,
        db_session,
        user,
        entry_id,
        csrf_token,
        lambda: flows.reject_proposal(
            db_session=db_session, actor=user.username, entry_id=entry_id, reason=reason
        ),
    )


@router.post("/credit/blacklist/{entry_id}/revoke")
def revoke_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Decider,
    csrf_token: FormText = "",
    reason: FormText = "",
    document_no: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    return _decide(
        request,
        db_session,
        user,
        entry_id,
        csrf_token,
        lambda: flows.revoke_entry(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            reason=reason,
            document_no=document_no,
        ),
    )

"""Deciding on blacklist entries: confirm or reject a proposal, revoke an active entry — as forms on the
subject's page (303 back to it) and as their JSON twins under /api/v1/credit/blacklist (session sign-in,
``X-CSRF-Token``). Who may decide is credit/authority.py's rule; what each step needs is flows.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.auth.tokens import ApiError, ApiErrorRoute
from tenderwatch.credit import flows, service
from tenderwatch.credit.authority import DECIDER_ROLE, may_decide
from tenderwatch.credit.models import BlacklistEntry
from tenderwatch.credit.schemas import EntryOut
from tenderwatch.credit.subject import entry_out
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, check_csrf, get_locale, require_role
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(route_class=ApiErrorRoute)
Decider = Annotated[User, Depends(require_role(DECIDER_ROLE))]
FormText = Annotated[str, Form(max_length=2000)]
FormNumber = Annotated[str, Form(max_length=128)]

REFUSED = UserError(
    "该黑名单条目不属于您所在监管部门的管辖，无权作出决定",
    "This blacklist entry is outside your department's jurisdiction; you may not decide on it",
)


def decidable(db_session: Session, user: User, subject_id: str) -> list[BlacklistEntry]:
    """The entries of the subject that ``user`` may decide on now (proposed or active)."""
    return [
        e
        for e in service.blacklist_of(db_session=db_session, subject_id=subject_id)
        if e.status in ("proposed", "active") and may_decide(db_session=db_session, user=user, entry=e)
    ]


def _entry(db_session: Session, user: User, entry_id: int) -> BlacklistEntry | None:
    """The entry, or None when the user may not decide on it; a missing id raises 404."""
    entry = db_session.get(BlacklistEntry, entry_id)
    if entry is None:
        raise HTTPException(status_code=404)
    return entry if may_decide(db_session=db_session, user=user, entry=entry) else None


# ---- forms on the subject page -------------------------------------------------------------------------


def _decide(
    request: Request, db_session: Session, user: User, entry_id: int, csrf: str, step: Callable[[], object]
) -> Response:
    check_csrf(request, csrf)
    entry = _entry(db_session, user, entry_id)
    if entry is None:
        context = {"status": 403, "message": REFUSED.message(get_locale(request)), "reference": None}
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


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"起始日期须为日期（YYYY-MM-DD）：{value}", f"The start date must be a date (YYYY-MM-DD): {value}"
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
    decision_no: FormNumber = "",
    start_date: Annotated[str, Form(max_length=10)] = "",
    months: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    def step() -> object:
        return flows.confirm_proposal(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            decision_no=decision_no,
            start_date=_day(start_date),
            months=_months(months),
        )

    return _decide(request, db_session, user, entry_id, csrf_token, step)


@router.post("/credit/blacklist/{entry_id}/reject")
def reject_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Decider,
    csrf_token: FormText = "",
    reason: FormText = "",
) -> Response:
    def step() -> object:
        return flows.reject_proposal(
            db_session=db_session, actor=user.username, entry_id=entry_id, reason=reason
        )

    return _decide(request, db_session, user, entry_id, csrf_token, step)


@router.post("/credit/blacklist/{entry_id}/revoke")
def revoke_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Decider,
    csrf_token: FormText = "",
    reason: FormText = "",
    document_no: FormNumber = "",
) -> Response:
    def step() -> object:
        return flows.revoke_entry(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            reason=reason,
            document_no=document_no,
        )

    return _decide(request, db_session, user, entry_id, csrf_token, step)


# ---- the JSON twins ----------------------------------------------------------------------------------


class ConfirmIn(BaseModel):
    decision_no: str = Field(max_length=128)
    start_date: date
    months: int


class RejectIn(BaseModel):
    reason: str = Field(max_length=2000)


class RevokeIn(BaseModel):
    reason: str = Field(max_length=2000)
    document_no: str = Field(max_length=128)


def _api(
    request: Request, db_session: Session, user: User, entry_id: int, step: Callable[[], BlacklistEntry]
) -> EntryOut:
    check_csrf(request, request.headers.get("X-CSRF-Token"))
    try:
        found = _entry(db_session, user, entry_id)
    except HTTPException:
        raise ApiError(404, "not_found", "没有该黑名单条目", "No such blacklist entry") from None
    if found is None:
        raise ApiError(403, "forbidden", REFUSED.message_zh, REFUSED.message_en)
    try:
        entry = step()
        db_session.commit()
    except UserError as exc:
        db_session.rollback()
        raise ApiError(422, "invalid_request", exc.message_zh, exc.message_en) from exc
    return entry_out(entry)


@api_router.post("/blacklist/{entry_id}/confirm", response_model=EntryOut)
def api_confirm(
    request: Request, entry_id: int, body: ConfirmIn, db_session: DbSession, user: Decider
) -> EntryOut:
    """确认黑名单提议 / Confirm a proposed entry with its decision and period (within the statutory range)."""
    return _api(
        request,
        db_session,
        user,
        entry_id,
        lambda: flows.confirm_proposal(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            decision_no=body.decision_no,
            start_date=body.start_date,
            months=body.months,
        ),
    )


@api_router.post("/blacklist/{entry_id}/reject", response_model=EntryOut)
def api_reject(
    request: Request, entry_id: int, body: RejectIn, db_session: DbSession, user: Decider
) -> EntryOut:
    """驳回黑名单提议 / Reject a proposed entry, with the reason."""
    return _api(
        request,
        db_session,
        user,
        entry_id,
        lambda: flows.reject_proposal(
            db_session=db_session, actor=user.username, entry_id=entry_id, reason=body.reason
        ),
    )


@api_router.post("/blacklist/{entry_id}/revoke", response_model=EntryOut)
def api_revoke(
    request: Request, entry_id: int, body: RevokeIn, db_session: DbSession, user: Decider
) -> EntryOut:
    """撤销黑名单 / Revoke an active entry, with the reason and the number of the document ordering it."""
    return _api(
        request,
        db_session,
        user,
        entry_id,
        lambda: flows.revoke_entry(
            db_session=db_session,
            actor=user.username,
            entry_id=entry_id,
            reason=body.reason,
            document_no=body.document_no,
        ),
    )

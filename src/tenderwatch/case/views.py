"""JSON API of the case lifecycle under /api/v1/cases (session sign-in; writes carry the session's CSRF
token in ``X-CSRF-Token``). Every case is jurisdiction-filtered: out of reach looks like missing.

A write sends the ``version`` it read; a stale one is answered 409 with a bilingual message and changes
nothing, so two people working on one case never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case import flows, notify, service, verify
from tenderwatch.case.models import Case
from tenderwatch.case.schemas import (
    AnswerIn,
    AttachmentOut,
    CaseDetail,
    CaseList,
    CaseOut,
    ChecklistItemOut,
    EventOut,
    ReviewIn,
    SubmitIn,
    TransitionIn,
)
from tenderwatch.credit.lake import lake_credit
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning
from tenderwatch.web.deps import DbSession, Locale, check_csrf, get_database, require_role

api_router = APIRouter(prefix="/cases", tags=["cases"])

Member = Annotated[User, Depends(require_role(*service.WATCHERS))]
Db = Annotated[Database, Depends(get_database)]
T = TypeVar("T")


def _csrf(request: Request) -> None:
    check_csrf(request, request.headers.get("X-CSRF-Token"))


def _write(db_session: Session, database: Database, locale: str, step: Callable[[], T]) -> T | JSONResponse:
    """Run one step, commit, then send the notices it queued; a stale version becomes 409."""
    try:
        result = step()
        db_session.commit()
    except service.StaleCase as exc:
        db_session.rollback()
        message = exc.message_zh if locale.startswith("zh") else exc.message_en
        body = {
            "code": "conflict",
            "message": message,
            "message_zh": exc.message_zh,
            "message_en": exc.message_en,
        }
        return JSONResponse({"error": body}, status_code=409)
    except UserError:
        db_session.rollback()
        raise
    notify.deliver_pending(database)
    return result


def _case(db_session: Session, case_id: int, user: User) -> Case:
    try:
        return service.get_case(db_session=db_session, case_id=case_id, user=user)
    except UserError:
        raise HTTPException(status_code=404) from None


def detail(db_session: Session, user: User, case: Case) -> CaseDetail:
    # A complaint's case has no warning, hence no checklist; its page is /complaints/<id>.
    warning = db_session.get(Warning, case.warning_id) if case.warning_id is not None else None
    answers = service.answers_of(db_session=db_session, case_id=case.id)
    items = []
    for entry in service.checklist(warning) if warning is not None else []:
        answer = answers.get((entry.model_id, entry.item.id))
        items.append(
            ChecklistItemOut(
                model_id=entry.model_id,
                item_id=entry.item.id,
                check_zh=entry.item.check.zh,
                check_en=entry.item.check.en,
                method_zh=entry.item.method.zh,
                method_en=entry.item.method.en,
                evidence_required=entry.item.evidence_required,
                answer=answer.answer if answer else None,
                notes=answer.notes if answer else "",
                attachment_ids=list(answer.attachment_ids) if answer else [],
            )
        )
    out = CaseDetail.model_validate(case)
    out.allowed = service.allowed_actions(user, case)
    out.checklist = items
    out.events = [EventOut.model_validate(e) for e in case.events]
    return out


@api_router.get("", response_model=CaseList)
def api_cases(
    db_session: DbSession, user: Member, state: str | None = None, overdue: bool | None = None
) -> Any:
    cases = service.list_cases(db_session=db_session, user=user, state=state or None, overdue=overdue)
    return CaseList(
        total=len(cases),
        items=[CaseOut.model_validate(c) for c in cases],
        unread=service.unread_count(db_session=db_session, user=user),
    )


@api_router.get("/{case_id}", response_model=CaseDetail)
def api_case(case_id: int, db_session: DbSession, user: Member) -> Any:
    return detail(db_session, user, _case(db_session, case_id, user))


@api_router.post("/{case_id}/transitions", response_model=CaseOut, dependencies=[Depends(_csrf)])
def api_transition(
    case_id: int, body: TransitionIn, db_session: DbSession, user: Member, database: Db, locale: Locale
) -> Any:
    case = _case(db_session, case_id, user)
    if body.action in ("submit", "approve", "return"):
        raise UserError("请使用结论或审核接口", "Use the conclusion or review endpoint for this action")
    step = lambda: CaseOut.model_validate(  # noqa: E731
        flows.fire(
            db_session=db_session,
            user=user,
            case=case,
            action=body.action,
            version=body.version,
            reason=body.reason,
            recipient=body.recipient,
            into_case_id=body.into_case_id,
            settings=database.settings,
        )
    )
    return _write(db_session, database, locale, step)


@api_router.post("/{case_id}/answers", response_model=CaseOut, dependencies=[Depends(_csrf)])
def api_answer(
    case_id: int, body: AnswerIn, db_session: DbSession, user: Member, database: Db, locale: Locale
) -> Any:
    case = _case(db_session, case_id, user)

    def step() -> CaseOut:
        verify.answer_item(db_session=db_session, user=user, case=case, answer=body)
        return CaseOut.model_validate(case)

    return _write(db_session, database, locale, step)


@api_router.post(
    "/{case_id}/attachments", response_model=AttachmentOut, status_code=201, dependencies=[Depends(_csrf)]
)
async def api_attach(
    case_id: int,
    file: Annotated[UploadFile, File()],
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
) -> Any:
    case = _case(db_session, case_id, user)
    limit = database.settings.max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UserError("附件过大", f"The attachment exceeds {database.settings.max_upload_mb} MB")
    step = lambda: AttachmentOut.model_validate(  # noqa: E731
        flows.save_attachment(
            db_session=db_session,
            settings=database.settings,
            user=user,
            case=case,
            filename=file.filename or "file",
            data=data,
        )
    )
    return _write(db_session, database, locale, step)


@api_router.post("/{case_id}/conclusion", response_model=CaseOut, dependencies=[Depends(_csrf)])
def api_conclude(
    case_id: int, body: SubmitIn, db_session: DbSession, user: Member, database: Db, locale: Locale
) -> Any:
    case = _case(db_session, case_id, user)
    step = lambda: CaseOut.model_validate(  # noqa: E731
        verify.submit(
            db_session=db_session, user=user, case=case, version=body.version, conclusion=body.conclusion
        )
    )
    return _write(db_session, database, locale, step)


@api_router.post("/{case_id}/review", response_model=CaseOut, dependencies=[Depends(_csrf)])
def api_review(
    case_id: int, body: ReviewIn, db_session: DbSession, user: Member, database: Db, locale: Locale
) -> Any:
    case = _case(db_session, case_id, user)

    def step() -> CaseOut:
        verify.review(
            db_session=db_session,
            user=user,
            case=case,
            version=body.version,
            approve=body.decision == "approve",
            reason=body.reason,
            lake=lake_credit(database),
        )
        return CaseOut.model_validate(case)

    return _write(db_session, database, locale, step)


@api_router.post("/notifications/read", dependencies=[Depends(_csrf)])
def api_read(db_session: DbSession, user: Member) -> dict[str, int]:
    marked = notify.mark_read(db_session=db_session, user=user)
    db_session.commit()
    return {"marked": marked}

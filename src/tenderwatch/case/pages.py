"""Pages: the cases of my jurisdiction, and one case with the guide's checklist as a form.

Forms post with the session's CSRF token and the version the page was rendered with; a stale page gets a
409 page asking to reload, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case import flows, notify, service, verify
from tenderwatch.case.lifecycle import TRANSITIONS
from tenderwatch.case.models import Attachment, Case
from tenderwatch.case.schemas import AnswerIn, ConclusionIn
from tenderwatch.case.views import _case, detail
from tenderwatch.credit.lake import lake_credit
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.guides.schema import OUTCOME_KEYS
from tenderwatch.warning.models import Warning
from tenderwatch.web.deps import DbSession, Locale, check_csrf, get_database, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)
Member = Annotated[User, Depends(require_role(*service.WATCHERS))]
Db = Annotated[Database, Depends(get_database)]
Csrf = Annotated[str, Form()]
Version = Annotated[int, Form()]

STATE_LABELS = {
    "generated": N_("Generated"),
    "assigned": N_("Assigned"),
    "accepted": N_("Signed for"),
    "verifying": N_("Verifying"),
    "feedback_submitted": N_("Feedback submitted"),
    "closed": N_("Closed"),
    "transferred": N_("Transferred"),
    "reopened": N_("Reopened"),
    "merged": N_("Merged into another case"),
}
ACTION_LABELS = {
    "accept": N_("Accept (sign for it)"),
    "start": N_("Start verification"),
    "reopen": N_("Reopen"),
    "transfer": N_("Transfer"),
    "merge": N_("Merge into case"),
    "comment": N_("Comment"),
}
OUTCOME_LABELS = {
    "confirmed": N_("Confirmed"),
    "partly_confirmed": N_("Partly confirmed"),
    "unfounded": N_("Unfounded"),
    "unverifiable": N_("Unverifiable"),
    "transferred": N_("Transferred"),
}
ANSWER_LABELS = {"pass": N_("Pass"), "fail": N_("Fail"), "not_applicable": N_("Not applicable")}
# A complaint's case has no warning grade: complaint/flows.py stores "public" there.
GRADE_LABELS = {"red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow"), "public": N_("Complaint")}
# History rows: each transition's own bilingual label, and the events that are not transitions.
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "generated": ("生成", "Generated"),
    "attachment": ("上传附件", "Attachment uploaded"),
    "answer": ("答复核查事项", "Checklist item answered"),
    "credit": ("写入信用记录", "Credit record written"),
    "overdue": ("逾期", "Overdue"),
    "supervised": ("督办", "Supervised"),
    "recusal_required": ("须回避（利益冲突）", "Recusal required (conflict of interest)"),
    "reverify_sample": ("抽中复核", "Drawn for re-verification"),
    "addendum": ("补充说明", "Addendum"),
    **{t.action: (t.label_zh, t.label_en) for t in TRANSITIONS.values()},
}


def _labels() -> dict[str, Any]:
    return {
        "state_labels": STATE_LABELS,
        "action_labels": ACTION_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "answer_labels": ANSWER_LABELS,
        "grade_labels": GRADE_LABELS,
        "event_labels": EVENT_LABELS,
        "outcomes": OUTCOME_KEYS,
    }


def _write(
    request: Request,
    db_session: Session,
    database: Database,
    locale: str,
    case_id: int,
    step: Callable[[], object],
) -> Response:
    try:
        step()
        db_session.commit()
    except service.StaleCase as exc:
        db_session.rollback()
        message = exc.message_zh if locale.startswith("zh") else exc.message_en
        return render(
            request, "error.html", {"status": 409, "message": message, "reference": None}, status_code=409
        )
    except UserError:
        db_session.rollback()
        # The rollback expired the signed-in user; the error page's navigation reads its grants after
        # this session has closed, so load them again now (else the refusal became a 500).
        user = getattr(request.state, "user", None)
        if user is not None:
            db_session.refresh(user)
            list(user.grants)
        raise
    notify.deliver_pending(database)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases")
def cases_page(
    request: Request, db_session: DbSession, user: Member, overdue: bool | None = None
) -> Response:
    cases = service.list_cases(db_session=db_session, user=user, overdue=overdue)
    unread = service.unread_count(db_session=db_session, user=user)
    return render(
        request, "case/list.html", {"cases": cases, "unread": unread, "overdue": overdue, **_labels()}
    )


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: int, db_session: DbSession, user: Member, locale: Locale
) -> Response:
    case = _case(db_session, case_id, user)
    if case.complaint_id is not None:  # a complaint's case is worked on its complaint page
        return RedirectResponse(f"/complaints/{case.complaint_id}", status_code=303)
    warning = db_session.get_one(Warning, case.warning_id)
    attachments = db_session.scalars(select(Attachment).where(Attachment.case_id == case.id)).all()
    guides = service.guides_of(warning)
    expected = {(e.model_id, e.item.id): e.item.expected for e in service.checklist(warning)}
    context = {
        "c": detail(db_session, user, case),
        "w": warning,
        "guides": [g for g, _ in guides],
        "expected": expected,
        "attachments": attachments,
        "zh": locale.startswith("zh"),
        "is_handler": case.handler == user.username and case.state == "verifying",
        **_labels(),
    }
    return render(request, "case/detail.html", context)


@router.get("/warnings/{warning_id}/case")
def warning_case(warning_id: int, db_session: DbSession, user: Member) -> Response:
    """From a warning to its case (the warning page links here; a warning need not have a case yet)."""
    case = db_session.scalars(select(Case).where(Case.warning_id == warning_id)).one_or_none()
    if case is None or not service.can_see(user, case):
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/action")
def action_form(
    request: Request,
    case_id: int,
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
    action: Annotated[str, Form()],
    version: Version,
    csrf_token: Csrf = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    recipient: Annotated[str, Form(max_length=128)] = "",
    into_case_id: Annotated[int | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    case = _case(db_session, case_id, user)
    if action not in ACTION_LABELS:
        raise UserError("请使用结论或审核表单", "Use the conclusion or review form for this action")
    return _write(
        request,
        db_session,
        database,
        locale,
        case_id,
        lambda: flows.fire(
            db_session=db_session,
            user=user,
            case=case,
            action=action,
            version=version,
            reason=reason,
            recipient=recipient or None,
            into_case_id=into_case_id,
            settings=database.settings,
        ),
    )


@router.post("/cases/{case_id}/upload")
async def upload_form(
    request: Request,
    case_id: int,
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
    file: Annotated[UploadFile, File()],
    csrf_token: Csrf = "",
) -> Response:
    check_csrf(request, csrf_token)
    case = _case(db_session, case_id, user)
    data = await file.read(database.settings.max_upload_mb * 1024 * 1024 + 1)
    if len(data) > database.settings.max_upload_mb * 1024 * 1024:
        raise UserError("附件过大", f"The attachment exceeds {database.settings.max_upload_mb} MB")
    return _write(
        request,
        db_session,
        database,
        locale,
        case_id,
        lambda: flows.save_attachment(
            db_session=db_session,
            settings=database.settings,
            user=user,
            case=case,
            filename=file.filename or "file",
            data=data,
        ),
    )


@router.post("/cases/{case_id}/answer")
def answer_form(
    request: Request,
    case_id: int,
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
    model_id: Annotated[str, Form()],
    item_id: Annotated[str, Form()],
    answer: Annotated[str, Form()],
    version: Version,
    csrf_token: Csrf = "",
    notes: Annotated[str, Form(max_length=4000)] = "",
    attachment_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    case = _case(db_session, case_id, user)
    body = AnswerIn.model_validate(
        {
            "version": version,
            "model_id": model_id,
            "item_id": item_id,
            "answer": answer,
            "notes": notes,
            "attachment_ids": attachment_ids or [],
        }
    )
    return _write(
        request,
        db_session,
        database,
        locale,
        case_id,
        lambda: verify.answer_item(db_session=db_session, user=user, case=case, answer=body),
    )


@router.post("/cases/{case_id}/conclude")
def conclude_form(
    request: Request,
    case_id: int,
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
    outcome: Annotated[str, Form()],
    version: Version,
    csrf_token: Csrf = "",
    notes: Annotated[str, Form(max_length=4000)] = "",
    benign_id: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    recipient: Annotated[str, Form(max_length=128)] = "",
    evidence_ids: Annotated[list[int] | None, Form()] = None,
    decision_no: Annotated[str, Form(max_length=64)] = "",
    decision_attachment_id: Annotated[int | None, Form()] = None,
    decided_on: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form(max_length=256)] = "",
    subject_ids: Annotated[str, Form(max_length=2000)] = "",
    subject_type: Annotated[str, Form()] = "company",
) -> Response:
    check_csrf(request, csrf_token)
    case = _case(db_session, case_id, user)
    conclusion = ConclusionIn.model_validate(
        {
            "outcome": outcome,
            "notes": notes,
            "benign_id": benign_id or None,
            "reason": reason or None,
            "recipient": recipient or None,
            "evidence_ids": evidence_ids or [],
            "decision_no": decision_no or None,
            "decision_attachment_id": decision_attachment_id,
            "decided_on": decided_on or None,
            "issuer": issuer.strip() or None,
            # one credit record per subject named in the decision (USCCs, or ID numbers of persons)
            "subjects": [
                {"subject_type": subject_type, "subject_id": x.strip()}
                for x in subject_ids.replace("，", ",").replace(" ", ",").split(",")
                if x.strip()
            ],
        }
    )
    return _write(
        request,
        db_session,
        database,
        locale,
        case_id,
        lambda: verify.submit(
            db_session=db_session, user=user, case=case, version=version, conclusion=conclusion
        ),
    )


@router.post("/cases/{case_id}/review")
def review_form(
    request: Request,
    case_id: int,
    db_session: DbSession,
    user: Member,
    database: Db,
    locale: Locale,
    decision: Annotated[str, Form()],
    version: Version,
    csrf_token: Csrf = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf_token)
    case = _case(db_session, case_id, user)
    return _write(
        request,
        db_session,
        database,
        locale,
        case_id,
        lambda: verify.review(
            db_session=db_session,
            user=user,
            case=case,
            version=version,
            approve=decision == "approve",
            reason=reason,
            lake=lake_credit(database),
        ),
    )

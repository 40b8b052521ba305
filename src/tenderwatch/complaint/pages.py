"""Pages: the public filing and tracking forms (no sign-in, CSRF on the anonymous session), and the
staff list and complaint page with the answer and addendum forms (no edit form for an answer).

Link for the nav: /complaints (staff, CASE_ROLES); the public links are /complaints/new and
/complaints/track.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case import notify
from tenderwatch.case import service as case_service
from tenderwatch.case.models import Case
from tenderwatch.case.pages import ACTION_LABELS, STATE_LABELS
from tenderwatch.case.routing import BUREAUS
from tenderwatch.common.regions import counties
from tenderwatch.complaint import flows, receipt, service
from tenderwatch.complaint.models import Complaint
from tenderwatch.complaint.schemas import ComplaintIn
from tenderwatch.complaint.views import client_address, read_uploads, settings_of
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, Locale, check_csrf, get_database, require_role
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import render

router = APIRouter()
Member = Annotated[User, Depends(require_role(*case_service.WATCHERS))]
INDUSTRIES = {
    "building": N_("Building"),
    "transport": N_("Transport"),
    "water": N_("Water"),
    "procurement": N_("Government procurement"),
    "other": N_("Other"),
}
assert set(INDUSTRIES) == set(BUREAUS)


def _form_context(locale: str, values: dict[str, str], error: str | None = None) -> dict[str, object]:
    return {
        "zh": locale.startswith("zh"),
        "counties": counties(),
        "industries": INDUSTRIES,
        "v": values,
        "error": error,
    }


@router.get("/complaints/new")
def new_page(request: Request, locale: Locale) -> Response:
    return render(request, "complaint/new.html", _form_context(locale, {}))


@router.post("/complaints/new")
async def new_submit(
    request: Request,
    db_session: DbSession,
    locale: Locale,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        data = ComplaintIn(
            kind=values.get("kind", "complaint"),
            region_code=values.get("region_code", ""),
            industry=values.get("industry", ""),
            subject=values.get("subject", ""),
            description=values.get("description", ""),
            consent=values.get("consent") == "on",
            anonymous=values.get("anonymous") == "on",
            section_code=values.get("section_code") or None,
            project_text=values.get("project_text") or None,
            name=values.get("name") or None,
            phone=values.get("phone") or None,
            id_number=values.get("id_number") or None,
        )
    except ValueError:
        message = translate(locale, "Please fill in every required field.")
        return render(request, "complaint/new.html", _form_context(locale, values, message), 400)
    try:
        filed = flows.file(
            db_session=db_session,
            settings=settings_of(request),
            data=data,
            uploads=await read_uploads(files or []),
            address=client_address(request),
            today=date.today(),
        )
        context = {
            "code": receipt.display(filed.receipt_code),
            "case_id": filed.case.id,
            "due": filed.case.due_date,
        }
        db_session.commit()
    except UserError as exc:
        # No rollback here: it would expire the signed-in user the page still shows; closing the
        # session uncommitted discards the work all the same.
        status = 429 if isinstance(exc, flows.RateLimited) else 400
        return render(
            request, "complaint/new.html", _form_context(locale, values, exc.message(locale)), status
        )
    notify.deliver_pending(get_database(request))
    return render(request, "complaint/filed.html", context, 201)


@router.get("/complaints/track")
def track_page(request: Request, locale: Locale) -> Response:
    return render(request, "complaint/track.html", {"t": None, "error": None, "zh": locale.startswith("zh")})


@router.post("/complaints/track")
def track_submit(
    request: Request,
    db_session: DbSession,
    locale: Locale,
    csrf_token: Annotated[str, Form()] = "",
    receipt_code: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    context: dict[str, object] = {"t": None, "error": None, "zh": locale.startswith("zh")}
    try:
        complaint = service.by_receipt(
            db_session=db_session, secret_key=settings_of(request).secret_key, code=receipt_code
        )
        context["t"] = service.track(db_session=db_session, complaint=complaint)
    except service.NotFound as exc:
        context["error"] = exc.message(locale)
        return render(request, "complaint/track.html", context, 404)
    return render(request, "complaint/track.html", context)


@router.get("/complaints")
def list_page(request: Request, db_session: DbSession, user: Member) -> Response:
    rows = service.list_visible(db_session=db_session, user=user)
    return render(request, "complaint/list.html", {"rows": rows, "state_labels": STATE_LABELS})


def _get(db_session: Session, user: User, complaint_id: int) -> tuple[Complaint, Case]:
    try:
        return service.get(db_session=db_session, user=user, complaint_id=complaint_id)
    except UserError:
        raise HTTPException(status_code=404) from None  # out of reach looks like missing


@router.get("/complaints/{complaint_id}")
def detail_page(
    request: Request, complaint_id: int, db_session: DbSession, user: Member, locale: Locale
) -> Response:
    complaint, case = _get(db_session, user, complaint_id)
    c = service.detail(db_session=db_session, user=user, complaint=complaint, case=case)
    db_session.commit()  # the audit record of the identity the handler saw
    context = {
        "c": c,
        "zh": locale.startswith("zh"),
        "is_handler": service.is_handler(user, case),
        "can_answer": service.is_handler(user, case) and case.state == "verifying" and c.answer is None,
        "industries": INDUSTRIES,
        # The case's own moves (sign for it, start, review) post to the case routes: /cases/<id> of a
        # complaint redirects here, so this page is where they are offered.
        "version": case.version,
        "allowed": case_service.allowed_actions(user, case),
        "action_labels": ACTION_LABELS,
        "state_label": STATE_LABELS[case.state],
    }
    return render(request, "complaint/detail.html", context)


@router.post("/complaints/{complaint_id}/answer")
async def answer_submit(
    request: Request,
    complaint_id: int,
    db_session: DbSession,
    user: Member,
    text: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_csrf(request, csrf_token)
    complaint, _case = _get(db_session, user, complaint_id)
    uploads = await read_uploads([file] if file else [])
    # A refusal raises before the commit: the session closes uncommitted, which discards the work (an
    # explicit rollback would expire the signed-in user the error page still shows).
    flows.answer(
        db_session=db_session,
        settings=settings_of(request),
        user=user,
        complaint=complaint,
        text=text,
        upload=uploads[0] if uploads else None,
    )
    db_session.commit()
    notify.deliver_pending(get_database(request))
    return RedirectResponse(f"/complaints/{complaint_id}", status_code=303)


@router.post("/complaints/{complaint_id}/addenda")
def addendum_submit(
    request: Request,
    complaint_id: int,
    db_session: DbSession,
    user: Member,
    text: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    complaint, _case = _get(db_session, user, complaint_id)
    flows.add_addendum(db_session=db_session, user=user, complaint=complaint, text=text)
    db_session.commit()
    return RedirectResponse(f"/complaints/{complaint_id}", status_code=303)

"""JSON API under /api/v1/complaints.

Filing and tracking need no sign-in: the public is a user (DESIGN.md). They carry no CSRF token because
they act on no one's session — there is no ambient authority a cross-site post could borrow — and the
per-address rate limit bounds abuse. Staff reads and writes go through the session like the case API,
and writes carry ``X-CSRF-Token``. There is deliberately no PUT, PATCH or DELETE of an answer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from tenderwatch.auth.models import User
from tenderwatch.case import notify
from tenderwatch.case import service as case_service
from tenderwatch.complaint import flows, receipt, service
from tenderwatch.complaint.files import Upload
from tenderwatch.complaint.schemas import AddendumIn, ComplaintDetail, ComplaintIn, Filed, Tracked
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, Locale, check_csrf, get_database, require_role

api_router = APIRouter(prefix="/complaints", tags=["complaints"])
Member = Annotated[User, Depends(require_role(*case_service.WATCHERS))]
Db = Annotated[Database, Depends(get_database)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_uploads(files: list[UploadFile]) -> list[Upload]:
    # A form's empty file input still arrives as a part without a name: that is "no file".
    return [Upload(f.filename or "", f.content_type or "", await f.read()) for f in files if f.filename]


def rate_limited(locale: str, exc: flows.RateLimited) -> JSONResponse:
    body = {"code": "rate_limited", "message": exc.message(locale)}
    return JSONResponse({"error": body}, status_code=429)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@api_router.post("", response_model=Filed, status_code=201)
async def api_file(
    request: Request,
    db_session: DbSession,
    database: Db,
    locale: Locale,
    kind: Annotated[str, Form()],
    region_code: Annotated[str, Form()],
    industry: Annotated[str, Form()],
    subject: Annotated[str, Form()],
    description: Annotated[str, Form()],
    consent: Annotated[bool, Form()] = False,
    anonymous: Annotated[bool, Form()] = False,
    section_code: Annotated[str | None, Form()] = None,
    project_text: Annotated[str | None, Form()] = None,
    name: Annotated[str | None, Form()] = None,
    phone: Annotated[str | None, Form()] = None,
    id_number: Annotated[str | None, Form()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Any:
    data = ComplaintIn(
        kind=kind,
        region_code=region_code,
        industry=industry,
        subject=subject,
        description=description,
        consent=consent,
        anonymous=anonymous,
        section_code=section_code or None,
        project_text=project_text or None,
        name=name or None,
        phone=phone or None,
        id_number=id_number or None,
    )
    uploads = await read_uploads(files or [])
    try:
        filed = flows.file(
            db_session=db_session,
            settings=settings_of(request),
            data=data,
            uploads=uploads,
            address=client_address(request),
            today=date.today(),
        )
        out = Filed(
            receipt_code=receipt.display(filed.receipt_code),
            complaint_id=filed.complaint.id,
            case_id=filed.case.id,
            decision_due=filed.case.due_date,
        )
        db_session.commit()
    except flows.RateLimited as exc:
        db_session.rollback()
        return rate_limited(locale, exc)
    except UserError:
        db_session.rollback()
        raise
    notify.deliver_pending(database)
    return out


@api_router.post("/track", response_model=Tracked)
def api_track(request: Request, db_session: DbSession, body: dict[str, str]) -> Any:
    # POST, not GET: the receipt code must not end up in URLs, proxies' logs or browser history.
    try:
        complaint = service.by_receipt(
            db_session=db_session,
            secret_key=settings_of(request).secret_key,
            code=str(body.get("receipt_code", "")),
        )
    except service.NotFound:
        raise HTTPException(status_code=404) from None
    return service.track(db_session=db_session, complaint=complaint)


@api_router.get("", response_model=list[ComplaintDetail])
def api_list(db_session: DbSession, user: Member) -> Any:
    out = [
        service.detail(db_session=db_session, user=user, complaint=c, case=case)
        for c, case in service.list_visible(db_session=db_session, user=user)
    ]
    db_session.commit()  # the audit records of the identities the handler saw
    return out


@api_router.get("/{complaint_id}", response_model=ComplaintDetail)
def api_detail(complaint_id: int, db_session: DbSession, user: Member) -> Any:
    complaint, case = _get(db_session, user, complaint_id)
    out = service.detail(db_session=db_session, user=user, complaint=complaint, case=case)
    db_session.commit()
    return out


def _get(db_session: Any, user: User, complaint_id: int) -> Any:
    try:
        return service.get(db_session=db_session, user=user, complaint_id=complaint_id)
    except UserError:
        raise HTTPException(status_code=404) from None


@api_router.post("/{complaint_id}/answer", response_model=ComplaintDetail, status_code=201)
async def api_answer(
    request: Request,
    complaint_id: int,
    db_session: DbSession,
    database: Db,
    user: Member,
    text: Annotated[str, Form()],
    file: Annotated[UploadFile | None, File()] = None,
) -> Any:
    check_csrf(request, request.headers.get("X-CSRF-Token"))
    complaint, case = _get(db_session, user, complaint_id)
    uploads = await read_uploads([file] if file else [])
    try:
        flows.answer(
            db_session=db_session,
            settings=settings_of(request),
            user=user,
            complaint=complaint,
            text=text,
            upload=uploads[0] if uploads else None,
        )
        out = service.detail(db_session=db_session, user=user, complaint=complaint, case=case)
        db_session.commit()
    except UserError:
        db_session.rollback()
        raise
    notify.deliver_pending(database)
    return out


@api_router.post("/{complaint_id}/addenda", response_model=ComplaintDetail, status_code=201)
def api_addendum(
    request: Request, complaint_id: int, body: AddendumIn, db_session: DbSession, user: Member
) -> Any:
    check_csrf(request, request.headers.get("X-CSRF-Token"))
    complaint, case = _get(db_session, user, complaint_id)
    try:
        flows.add_addendum(db_session=db_session, user=user, complaint=complaint, text=body.text)
        out = service.detail(db_session=db_session, user=user, complaint=complaint, case=case)
        db_session.commit()
    except UserError:
        db_session.rollback()
        raise
    return out

"""导入批次 pages (batches, quarantined rejects, upload) and the batches API."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.auth.service import has_role
from tenderwatch.catalog.service import get_catalog
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.ingest import messages, service
from tenderwatch.ingest.flows import IngestResult, ingest_file
from tenderwatch.ingest.models import Batch, Reject
from tenderwatch.web.deps import CurrentUser, DbSession, Locale, check_csrf, get_database, require_role
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import UPLOAD_ROLES, is_htmx, render
from tenderwatch.web.uploads import BadUpload, UploadTooLarge, receive_upload

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["ingest"])

BATCH_PAGE_SIZE = 50
REJECT_PAGE_SIZE = 100
EXPORT_CHUNK = 1000
SESSION_FLASH = "flash"

STATUS_LABELS = {
    "committed": N_("Committed"),
    "duplicate": N_("Duplicate"),
    "failed": N_("Failed"),
    "rolled_back": N_("Rolled back"),
    "compacted": N_("Compacted (merged into a later batch)"),
}

Uploader = Annotated[User, Depends(require_role(*UPLOAD_ROLES))]
# The quarantine keeps records exactly as delivered: ID numbers, phones and accounts that failed a check.
# Those who fix deliveries (data stewards) and run the system (admins) read them; everyone else sees the
# counts and the reasons per field, which is all that oversight of data quality needs (docs/access.md).
QUARANTINE_ROLES = ("data_steward", "admin")
QuarantineReader = Annotated[User, Depends(require_role(*QUARANTINE_ROLES))]
Page = Annotated[int, Query(ge=1, le=1_000_000)]


def _batch_or_404(db_session: DbSession, batch_id: int) -> Batch:
    batch = service.get_batch(db_session=db_session, batch_id=batch_id)
    if batch is None:
        raise HTTPException(status_code=404)
    return batch


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def _dataset_name(dataset_id: str | None, locale: str) -> str:
    catalog = get_catalog()
    if dataset_id and catalog.has(dataset_id):
        return catalog.dataset(dataset_id).name(locale)
    return dataset_id or ""


def _field_label(dataset_id: str, field_name: str | None, locale: str) -> str:
    catalog = get_catalog()
    if field_name and catalog.has(dataset_id) and field_name in catalog.dataset(dataset_id).field_names:
        return catalog.dataset(dataset_id).field(field_name).label(locale)
    return field_name or ""


def reject_reasons(reject: Reject, locale: str) -> list[str]:
    """Every problem of the record in the reader's language; the first one is the stored headline."""
    key = "message_zh" if locale.startswith("zh") else "message_en"
    alt = "zh" if locale.startswith("zh") else "en"
    reasons = [reject.message_zh if locale.startswith("zh") else reject.message_en]
    for error in reject.errors or []:
        text = error.get(key) or error.get(alt)
        if text and text not in reasons:
            reasons.append(text)
    return reasons


def _masked_reason(dataset_id: str, field_name: str | None, code: str, locale: str) -> str:
    """The reason of a code in words, the refused value replaced by a mark (it may be an ID number)."""
    if code not in messages.REASONS:
        return code
    zh, en = messages.render(
        code,
        label_zh=_field_label(dataset_id, field_name, "zh_CN"),
        label_en=_field_label(dataset_id, field_name, "en"),
        value="＊＊＊",
        detail="…",
    )
    return zh if locale.startswith("zh") else en


def _template_helpers(locale: str) -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "dataset_name": lambda d: _dataset_name(d, locale),
        "field_label": _field_label,
        "reject_reasons": reject_reasons,
    }


# ---- pages ----------------------------------------------------------------------------------------


@router.get("/batches", name="batches")
def batches_page(
    request: Request,
    db_session: DbSession,
    locale: Locale,
    _user: CurrentUser,
    dataset: str | None = None,
    page: Page = 1,
) -> Response:
    dataset = dataset or None
    total = service.count_batches(db_session=db_session, dataset=dataset)
    batches = service.get_all_batches(
        db_session=db_session, dataset=dataset, limit=BATCH_PAGE_SIZE, offset=(page - 1) * BATCH_PAGE_SIZE
    )
    context = {
        "batches": batches,
        "total": total,
        "page": page,
        "pages": _pages(total, BATCH_PAGE_SIZE),
        "dataset": dataset,
        "catalog": get_catalog(),
        **_template_helpers(locale),
    }
    name = "ingest/_batch_table.html" if is_htmx(request) else "ingest/batches.html"
    return render(request, name, context)


@router.get("/batches/{batch_id}", name="batch")
def batch_page(
    request: Request, batch_id: int, db_session: DbSession, locale: Locale, user: CurrentUser, page: Page = 1
) -> Response:
    batch = _batch_or_404(db_session, batch_id)
    total = service.count_rejects(db_session=db_session, batch_id=batch_id)
    offset = (page - 1) * REJECT_PAGE_SIZE
    raw_allowed = has_role(user, *QUARANTINE_ROLES)
    rejects: list[Reject] = []
    summary: list[tuple[str | None, str, int]] = []
    if raw_allowed:
        rejects = service.get_rejects(
            db_session=db_session, batch_id=batch_id, limit=REJECT_PAGE_SIZE, offset=offset
        )
        _record_rejects(db_session, user, batch, rejects, offset)
    else:
        summary = [
            (field, _masked_reason(batch.dataset, field, code, locale), n)
            for field, code, n in service.reject_summary(db_session=db_session, batch_id=batch_id)
        ]
    flash = request.session.pop(SESSION_FLASH, None)
    context = {
        "batch": batch,
        "rejects": rejects,
        "reject_total": total,
        "raw_allowed": raw_allowed,
        "summary": summary,
        "page": page,
        "pages": _pages(total, REJECT_PAGE_SIZE),
        "flash": flash.get(locale, flash.get("en")) if isinstance(flash, dict) else None,
        **_template_helpers(locale),
    }
    name = "ingest/_reject_table.html" if is_htmx(request) else "ingest/batch.html"
    return render(request, name, context)


def _record_rejects(
    db_session: DbSession, user: User, batch: Batch, rejects: list[Reject], offset: int
) -> None:
    if rejects:
        service.record_rejects_view(
            db_session=db_session, actor=user.username, batch=batch, rejects=rejects, offset=offset
        )
        db_session.commit()  # a read that is audited must leave its record behind


def _reject_rows(database: Database, batch_id: int) -> Iterator[str]:
    """CSV lines of every reject, read in chunks with a session of its own (the request's is closed
    by the time a streaming body is sent). Raw columns are the file's own headers, as delivered."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns: list[str] | None = None
    offset = 0
    yield "\ufeff"  # Excel needs the BOM to read UTF-8
    with database.session() as db_session:
        while True:
            chunk = service.get_rejects(
                db_session=db_session, batch_id=batch_id, limit=EXPORT_CHUNK, offset=offset
            )
            if columns is None:
                columns = list((chunk[0].raw or {}).keys()) if chunk else []
                writer.writerow(
                    ["line", "field", "code", "reason_zh", "reason_en", *columns, "other_columns"]
                )
            if not chunk:
                break
            for reject in chunk:
                raw = dict(reject.raw or {})
                values = [raw.pop(name, "") for name in columns]
                other = "; ".join(f"{k}={v}" for k, v in raw.items())
                head = [reject.line, reject.field or "", reject.code, reject.message_zh, reject.message_en]
                writer.writerow([*head, *(str(v) if v is not None else "" for v in values), other])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            offset += EXPORT_CHUNK
    if buffer.getvalue():
        yield buffer.getvalue()


@router.get("/batches/{batch_id}/rejects.csv", name="rejects_csv")
def rejects_csv(request: Request, batch_id: int, db_session: DbSession, user: QuarantineReader) -> Response:
    batch = _batch_or_404(db_session, batch_id)
    # Recorded before the body streams: the raw rows may hold ID numbers, and once the first chunk is
    # sent the download cannot be taken back.
    total = service.count_rejects(db_session=db_session, batch_id=batch.id)
    audit(
        db_session,
        user.username,
        "export",
        "batch",
        str(batch.id),
        details={"format": "csv", "what": "rejects", "rejects": total},
    )
    db_session.commit()
    return StreamingResponse(
        _reject_rows(get_database(request), batch.id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch.id}-rejects.csv"'},
    )


@router.get("/upload", name="upload")
def upload_form(request: Request, _user: Uploader) -> Response:
    return render(request, "ingest/upload.html", {"catalog": get_catalog(), "error": None, "dataset": None})


@router.post("/upload")
async def upload(request: Request, user: Uploader, locale: Locale) -> Response:
    settings = request.app.state.settings
    max_bytes = settings.max_upload_mb * 1024 * 1024

    def again(message: str, dataset: str | None = None, status: int = 400) -> Response:
        context = {"catalog": get_catalog(), "error": message, "dataset": dataset}
        return render(request, "ingest/upload.html", context, status_code=status)

    try:
        received = await receive_upload(request, settings.data_dir / "uploads", max_bytes)
    except UploadTooLarge:
        message = translate(locale, "The file is larger than %(mb)s MB.", mb=settings.max_upload_mb)
        return again(message, status=413)
    except BadUpload:
        return again(translate(locale, "The upload was not understood. Please choose the file again."))
    try:
        check_csrf(request, received.fields.get("csrf_token"))
        dataset = received.fields.get("dataset") or None
        if received.path is None or received.original_name is None:
            return again(translate(locale, "Please choose a file."), dataset)
        try:
            result = await _run_import(request, received.path, dataset, user, received.original_name)
        except UserError as exc:
            return again(exc.message(locale), dataset)
    finally:
        received.discard()
    target = result.batch_id if result.batch_id is not None else result.duplicate_of
    if target is None:
        return again(result.message_zh if locale.startswith("zh") else result.message_en, dataset)
    request.session[SESSION_FLASH] = {"zh_CN": result.message_zh, "en": result.message_en}
    return RedirectResponse(f"/batches/{target}", status_code=303)


async def _run_import(
    request: Request, path: Path, dataset: str | None, user: User, name: str
) -> IngestResult:
    # The import is CPU and disk work: off the event loop, so the server keeps answering meanwhile.
    work = partial(
        ingest_file,
        get_database(request),
        path,
        dataset=dataset,
        source="upload",
        uploaded_by=user.username,
        original_name=name,
    )
    return await run_in_threadpool(work)


# ---- API --------------------------------------------------------------------------------------------


class BatchOut(BaseModel):
    id: int
    dataset: str
    file_name: str
    file_format: str
    encoding: str | None
    sha256: str
    size_bytes: int
    status: str
    received: int
    accepted: int
    rejected: int
    error_code: str | None
    error_zh: str | None
    error_en: str | None
    unknown_columns: list[str]
    source: str
    uploaded_by: str | None
    created_at: datetime
    rolled_back_at: datetime | None

    model_config = {"from_attributes": True}


class RejectOut(BaseModel):
    id: int
    line: int
    field: str | None
    code: str
    message_zh: str
    message_en: str
    errors: list[dict[str, Any]]
    raw: dict[str, Any] | None

    model_config = {"from_attributes": True}


class BatchList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[BatchOut]


class RejectList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RejectOut]


Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@api_router.get("/batches", response_model=BatchList)
def api_batches(
    db_session: DbSession,
    _user: CurrentUser,
    dataset: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    items = service.get_all_batches(db_session=db_session, dataset=dataset, limit=limit, offset=offset)
    total = service.count_batches(db_session=db_session, dataset=dataset)
    return BatchList(
        total=total, limit=limit, offset=offset, items=[BatchOut.model_validate(b) for b in items]
    )


@api_router.get("/batches/{batch_id}", response_model=BatchOut)
def api_batch(batch_id: int, db_session: DbSession, _user: CurrentUser) -> Any:
    return BatchOut.model_validate(_batch_or_404(db_session, batch_id))


@api_router.get("/batches/{batch_id}/rejects", response_model=RejectList)
def api_rejects(
    batch_id: int, db_session: DbSession, user: QuarantineReader, limit: Limit = 100, offset: Offset = 0
) -> Any:
    batch = _batch_or_404(db_session, batch_id)
    items = service.get_rejects(db_session=db_session, batch_id=batch_id, limit=limit, offset=offset)
    _record_rejects(db_session, user, batch, items, offset)
    total = service.count_rejects(db_session=db_session, batch_id=batch_id)
    return RejectList(
        total=total, limit=limit, offset=offset, items=[RejectOut.model_validate(r) for r in items]
    )

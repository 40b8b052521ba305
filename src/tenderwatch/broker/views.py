"""黄牛库 pages (list, entry with history and judge buttons) and the ``/api/v1/brokers`` API.

Regulators, discipline inspectors and administrators only. Session-authenticated JSON posts must send
the session's CSRF token in the ``X-CSRF-Token`` header (the pages carry it), as forms send it as a
field: the cookie alone must never be enough to write to the register.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.broker import flows, service
from tenderwatch.broker.lake_screen import screen_database_lake
from tenderwatch.broker.matching import screen_bid
from tenderwatch.broker.models import STATUSES, BrokerEntry
from tenderwatch.broker.schemas import (
    BidMatchOut,
    CollectOut,
    EntryDetail,
    EntryList,
    EntrySummary,
    EventOut,
    IdentifierOut,
    JudgementIn,
    JudgementOut,
    ManualEntryIn,
    MatchOut,
    ScreenBidIn,
    ScreenLakeIn,
    ScreenLakeOut,
)
from tenderwatch.broker.service import EntryFilter
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, Locale, check_csrf, get_database, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["brokers"])

ROLES = ("regulator", "inspector", "admin")
Judge = Annotated[User, Depends(require_role(*ROLES))]
PAGE_SIZE = 50
STATUS_LABELS = {
    "candidate": N_("Candidate, awaiting judgement"),
    "confirmed": N_("Confirmed broker"),
    "rejected": N_("Not a broker"),
    "unsure": N_("Unsure"),
}
SOURCE_LABELS = {"c18": N_("Model C18"), "manual": N_("Manual entry")}
VERDICT_LABELS = {"same": N_("Same person"), "not_same": N_("Not the same"), "unsure": N_("Unsure")}
KIND_LABELS = {
    "id_number": N_("ID number"),
    "phone": N_("Phone"),
    "account": N_("Bank account"),
    "name": N_("Name"),
}
EVENT_LABELS = {
    "created": N_("Created"),
    "evidence_added": N_("Evidence added"),
    "judged": N_("Judged"),
    "status_changed": N_("Status changed"),
    "merged": N_("Merged"),
    "split": N_("Split"),
}
Status = Annotated[str | None, Query(pattern="^(candidate|confirmed|rejected|unsure)?$")]
Source = Annotated[str | None, Query(pattern="^(c18|manual)?$")]
Search = Annotated[str | None, Query(max_length=64)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


def _labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "verdict_labels": VERDICT_LABELS,
        "kind_labels": KIND_LABELS,
        "event_labels": EVENT_LABELS,
    }


def _entry_or_404(db_session: Session, entry_id: int) -> BrokerEntry:
    entry = service.get_entry(db_session=db_session, entry_id=entry_id)
    if entry is None:
        raise HTTPException(status_code=404)
    return entry


def _detail(db_session: Session, entry: BrokerEntry) -> EntryDetail:
    """The entry with everything merged into it: identifiers and both histories."""
    members = service.merged_members(db_session, entry)
    ids = [m.id for m in members]
    identifiers = [i for m in members for i in m.identifiers]
    return EntryDetail(
        **EntrySummary.model_validate(entry).model_dump(),
        hit_ids=sorted({h for m in members for h in m.hit_ids}),
        identifiers=[IdentifierOut.model_validate(i) for i in identifiers],
        merged_entry_ids=[i for i in ids if i != entry.id],
        judgements=[JudgementOut.model_validate(j) for j in service.judgements_of(db_session, ids)],
        events=[EventOut.model_validate(e) for e in service.events_of(db_session, ids)],
    )


def _record_list(
    db_session: Session, user: User, items: list[BrokerEntry], flt: EntryFilter, offset: int
) -> None:
    """A list page names its persons: one ``view_personal`` for it (none for an empty page)."""
    if not items:
        return
    details = {"entries": [e.id for e in items], "status": flt.status, "source": flt.source, "offset": offset}
    personal = {"names": [e.display_name for e in items], "q": flt.query}
    service.record_view(db_session, user.username, "list", details, personal)
    db_session.commit()


def _record_entry(db_session: Session, user: User, entry: BrokerEntry, detail: EntryDetail) -> None:
    details = {"merged_entry_ids": detail.merged_entry_ids, "identifiers": len(detail.identifiers)}
    service.record_view(
        db_session, user.username, str(entry.id), details, {"display_name": entry.display_name}
    )
    db_session.commit()


# ---- pages ------------------------------------------------------------------------------------------


@router.get("/brokers", name="brokers")
def brokers_page(
    request: Request,
    db_session: DbSession,
    user: Judge,
    status: Status = None,
    source: Source = None,
    q: Search = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    flt = EntryFilter(status=status or None, source=source or None, query=q or None)
    total = service.count_entries(db_session=db_session, flt=flt)
    items = service.list_entries(
        db_session=db_session, flt=flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    _record_list(db_session, user, items, flt, (page - 1) * PAGE_SIZE)
    query = urlencode({k: v for k, v in (("status", status), ("source", source), ("q", q)) if v})
    context = {
        "entries": items,
        "total": total,
        "flt": flt,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "base": "/brokers?" + (query + "&" if query else ""),
        "statuses": STATUSES,
        **_labels(),
    }
    return render(request, "broker/_table.html" if is_htmx(request) else "broker/list.html", context)


@router.post("/brokers")
def add_entry_form(
    request: Request,
    db_session: DbSession,
    user: Judge,
    locale: Locale,
    display_name: Annotated[str, Form(max_length=64)],
    reason: Annotated[str, Form(max_length=2000)],
    id_number: Annotated[str, Form(max_length=32)] = "",
    phone: Annotated[str, Form(max_length=32)] = "",
    account: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    try:
        entry = flows.create_manual_entry(
            db_session,
            actor=user.username,
            display_name=display_name,
            reason=reason,
            id_numbers=[id_number],
            phones=[phone],
            accounts=[account],
        )
    except UserError as exc:
        # The form again as typed, with the reason: an error page would lose everything entered.
        typed = {
            "display_name": display_name,
            "id_number": id_number,
            "phone": phone,
            "account": account,
            "reason": reason,
        }
        context = {"add": typed, "add_error": exc.message(locale)}
        return render(request, "broker/add.html", context, 400)
    db_session.commit()
    return RedirectResponse(f"/brokers/{entry.id}", status_code=303)


@router.get("/brokers/{entry_id}", name="broker")
def broker_page(request: Request, entry_id: int, db_session: DbSession, user: Judge) -> Response:
    entry = _entry_or_404(db_session, entry_id)
    root = service.root_of(db_session, entry)
    detail = _detail(db_session, entry)
    _record_entry(db_session, user, entry, detail)
    context = {"e": entry, "root": root, "d": detail, **_labels()}
    return render(request, "broker/detail.html", context)


@router.post("/brokers/{entry_id}/judge")
def judge_form(
    request: Request,
    entry_id: int,
    db_session: DbSession,
    user: Judge,
    verdict: Annotated[str, Form(pattern="^(same|not_same|unsure)$")],
    note: Annotated[str, Form(max_length=2000)] = "",
    other_entry_id: Annotated[str, Form(max_length=12, pattern=r"^\d*$")] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf_token)
    _entry_or_404(db_session, entry_id)
    other = int(other_entry_id) if other_entry_id else None
    flows.judge(
        db_session, entry_id=entry_id, verdict=verdict, actor=user.username, note=note, other_entry_id=other
    )
    db_session.commit()
    return RedirectResponse(f"/brokers/{entry_id}", status_code=303)


# ---- API --------------------------------------------------------------------------------------------


def _check_header(request: Request) -> None:
    check_csrf(request, request.headers.get("X-CSRF-Token"))


@api_router.get("/brokers", response_model=EntryList)
def api_brokers(
    db_session: DbSession,
    user: Judge,
    status: Status = None,
    source: Source = None,
    q: Search = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    flt = EntryFilter(status=status or None, source=source or None, query=q or None)
    items = service.list_entries(db_session=db_session, flt=flt, limit=limit, offset=offset)
    _record_list(db_session, user, items, flt, offset)
    return EntryList(
        total=service.count_entries(db_session=db_session, flt=flt),
        limit=limit,
        offset=offset,
        items=[EntrySummary.model_validate(e) for e in items],
    )


@api_router.post("/brokers", response_model=EntryDetail, status_code=201)
def api_add_entry(request: Request, body: ManualEntryIn, db_session: DbSession, user: Judge) -> Any:
    _check_header(request)
    entry = flows.create_manual_entry(
        db_session,
        actor=user.username,
        display_name=body.display_name,
        reason=body.reason,
        id_numbers=body.id_numbers,
        phones=body.phones,
        accounts=body.accounts,
        names=body.names,
    )
    db_session.commit()
    return _detail(db_session, entry)


@api_router.post("/brokers/collect", response_model=CollectOut)
def api_collect(request: Request, db_session: DbSession, user: Judge) -> Any:
    """Turn C18 hits into candidate entries (idempotent), with names and phones from the lake."""
    _check_header(request)
    from tenderwatch.graph.flows import open_lake

    con = open_lake(get_database(request))
    try:
        summary = flows.collect_candidates(db_session, con=con, actor=user.username)
    finally:
        con.close()
    db_session.commit()
    return CollectOut(created=summary.created, updated=summary.updated, unchanged=summary.unchanged)


@api_router.post("/brokers/screen", response_model=list[MatchOut])
def api_screen(request: Request, body: ScreenBidIn, db_session: DbSession, user: Judge) -> Any:
    """Screen one bid's persons, phones, accounts and names (read-only, so no CSRF header needed)."""
    register = service.load_register(db_session)
    matches = screen_bid(register, body.persons, body.phones, body.accounts, body.names)
    if matches:  # a miss shows no one from the register
        details = {"matches": len(matches), "entries": sorted({m.entry_id for m in matches})}
        service.record_view(db_session, user.username, "screen_bid", details, body.model_dump())
        db_session.commit()
    return [MatchOut(**{f: getattr(m, f) for f in MatchOut.model_fields}) for m in matches]


@api_router.post("/brokers/screen-lake", response_model=ScreenLakeOut)
def api_screen_lake(request: Request, body: ScreenLakeIn, db_session: DbSession, user: Judge) -> Any:
    register = service.load_register(db_session)
    matches = screen_database_lake(get_database(request), register, body.since)
    shown = min(len(matches), body.limit)
    service.record_lake_screen(db_session, user.username, body.since.isoformat(), matches, shown)
    db_session.commit()
    items = [
        BidMatchOut(**{f: getattr(m, f) for f in BidMatchOut.model_fields}) for m in matches[: body.limit]
    ]
    return ScreenLakeOut(total=len(matches), items=items)


@api_router.get("/brokers/{entry_id}", response_model=EntryDetail)
def api_broker(entry_id: int, db_session: DbSession, user: Judge) -> Any:
    entry = _entry_or_404(db_session, entry_id)
    detail = _detail(db_session, entry)
    _record_entry(db_session, user, entry, detail)
    return detail


@api_router.post("/brokers/{entry_id}/judgements", response_model=JudgementOut, status_code=201)
def api_judge(request: Request, entry_id: int, body: JudgementIn, db_session: DbSession, user: Judge) -> Any:
    _check_header(request)
    _entry_or_404(db_session, entry_id)
    judgement = flows.judge(
        db_session,
        entry_id=entry_id,
        verdict=body.verdict,
        actor=user.username,
        note=body.note,
        other_entry_id=body.other_entry_id,
    )
    db_session.commit()
    return JudgementOut.model_validate(judgement)

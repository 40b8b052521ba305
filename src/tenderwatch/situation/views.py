"""综合态势 pages, the drill-down lists, the live stream (server-sent events) and the JSON API.

Who sees it: the analyst roles that read warnings (inspector, regulator, reviewer, model owner), each
within the jurisdictions of those grants — the screen is made of warnings and cases, so it follows the
warnings' policy (docs/access.md). Administrators, data stewards and the platform see no warnings and so
no screen.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from markupsafe import Markup

from tenderwatch.audit.personal import is_person_id
from tenderwatch.auth.models import User
from tenderwatch.case.lifecycle import STATE_LABELS
from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import mask_id_number
from tenderwatch.common.regions import REGIONS, region_name
from tenderwatch.db import Database
from tenderwatch.situation import service
from tenderwatch.situation.service import GRADES, LIST_KINDS, Filter, Snapshot
from tenderwatch.warning.views import GRADE_LABELS, READER_ROLES, scope_of
from tenderwatch.web.deps import (
    DbSession,
    Locale,
    get_current_user,
    get_database,
    require_role,
    require_user,
)
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["situation"])

Reader = Annotated[User, Depends(require_role(*READER_ROLES))]
Period = Annotated[str, Query(pattern="^(today|month|year)$")]
Day = Annotated[date | None, Query(alias="date")]
Region = Annotated[str | None, Query(pattern=r"^(\d{2}|\d{4}|\d{6})?$")]
Word = Annotated[str | None, Query(max_length=64, pattern=r"^[\w\-]*$")]
Grade = Annotated[str | None, Query(pattern="^(red|orange|yellow)?$")]
Kind = Annotated[str, Query(pattern="^(" + "|".join(LIST_KINDS) + ")$")]
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]

PAGE_SIZE = 50
POLL_SECONDS = 1.0  # how often the stream looks at the pulse
HEARTBEAT_SECONDS = 15.0  # a comment line this often keeps proxies from closing an idle stream

PERIOD_LABELS = {"today": N_("Today"), "month": N_("This month"), "year": N_("This year")}
LIGHT_LABELS = {**GRADE_LABELS, "green": N_("Green")}
KIND_LABELS = {
    "projects": N_("Tender projects registered"),
    "sections": N_("Sections announced"),
    "bids": N_("Bids submitted"),
    "awards": N_("Awards"),
    "warnings": N_("Warnings raised"),
    "open_warnings": N_("Open warnings"),
    "overdue": N_("Overdue cases"),
}
LIGHT_COLOURS = {"red": "#d9363e", "orange": "#f08c00", "yellow": "#e6b800", "green": "#3a9d5d"}


def _filter(user: User, period: str, day: date | None, region: str | None, industry: str | None) -> Filter:
    return _scoped(scope_of(user), period, day, region, industry)


def _scoped(
    scope: service.Scope, period: str, day: date | None, region: str | None, industry: str | None
) -> Filter:
    return Filter(
        period=period,
        day=day or service.today_in_china(),
        region=service.region_prefix(region) if region else None,
        industry=industry or None,
        scope=scope,
    )


def _query(flt: Filter, explicit_day: bool, **extra: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {
        "period": flt.period,
        "date": flt.day.isoformat() if explicit_day else None,
        "region": flt.region,
        "industry": flt.industry,
        **extra,
    }
    return {k: v for k, v in values.items() if v}


def money(locale: str, yuan: float) -> str:
    """Amounts as the screen shows them: 亿元 from one hundred million, 万元 below (zh); million yuan (en)."""
    if locale.startswith("zh"):
        if abs(yuan) >= 1e8:
            return f"{yuan / 1e8:,.2f} 亿元"
        return f"{yuan / 1e4:,.1f} 万元"
    return f"{yuan / 1e6:,.2f} m yuan"


def shown_subject(value: str) -> str:
    """A person's ID number masked to its region and last four characters: the list is for finding the
    warning, whose own page shows (and audits) the whole number; company codes are not personal."""
    if is_person_id(value):
        return mask_id_number(value)
    return value


def _labels(locale: str) -> dict[str, Any]:
    industries = get_catalog().enums["industry"]
    zh = locale.startswith("zh")
    return {
        "period_labels": PERIOD_LABELS,
        "light_labels": LIGHT_LABELS,
        "grade_labels": GRADE_LABELS,
        "kind_labels": KIND_LABELS,
        "light_colours": LIGHT_COLOURS,
        "industry_labels": industries,
        "industry_name": lambda code: industries[code].get(locale) if code in industries else str(code or ""),
        "region_label": region_name,
        "shown_subject": shown_subject,
        "state_label": lambda code: STATE_LABELS[code][0 if zh else 1] if code in STATE_LABELS else str(code),
        "money": lambda v: money(locale, float(v or 0)),
        "zh": zh,
        "grades": GRADES,
    }


def _crumbs(flt: Filter) -> list[tuple[str, str]]:
    """(prefix, name) from the province down to the drill-down region."""
    out: list[tuple[str, str]] = [("33", "浙江省")]
    if flt.region and len(flt.region) >= 4:
        city = REGIONS.get(flt.region[:4] + "00")
        if city is not None:
            out.append((city.prefix, city.name_zh))
    if flt.region and len(flt.region) == 6:
        county = REGIONS.get(flt.region)
        if county is not None:
            out.append((county.prefix, county.name_zh))
    return out


def _chart_data(snapshot: Snapshot, locale: str, link: Callable[..., str]) -> dict[str, Any]:
    """What situation.js draws: the treemap of divisions coloured by light and the trend lines."""
    zh = locale.startswith("zh")

    def node(row: service.RegionRow) -> dict[str, Any]:
        name = row.name_zh if zh else row.name_en
        item: dict[str, Any] = {
            "name": name,
            "code": row.code,
            # A region without sections in the period still gets a tile, the smallest one.
            "value": row.counts.sections + 1,
            "sections": row.counts.sections,
            "open": row.counts.open,
            "light": row.counts.light,
            "href": link(region=row.prefix),
            "itemStyle": {"color": LIGHT_COLOURS[row.counts.light]},
        }
        if row.children:
            item["children"] = [node(c) for c in row.children]
        return item

    return {
        "treemap": [node(r) for r in snapshot.regions],
        "trend": {
            "unit": snapshot.trend_unit,
            "buckets": [p.bucket for p in snapshot.trend],
            "series": {
                key: [getattr(p, key) for p in snapshot.trend]
                for key in ("projects", "sections", "bids", "awards", "red", "orange", "yellow")
            },
        },
        "labels": {
            "projects": translate(locale, "Projects"),
            "sections": translate(locale, "Sections"),
            "bids": translate(locale, "Bids"),
            "awards": translate(locale, "Awards"),
            "red": translate(locale, "Red warnings"),
            "orange": translate(locale, "Orange warnings"),
            "yellow": translate(locale, "Yellow warnings"),
            "sectionsInPeriod": translate(locale, "Sections in the period"),
            "openWarnings": translate(locale, "Open warnings"),
            "live": translate(locale, "Live"),
            "offline": translate(locale, "Reconnecting…"),
        },
        "colours": LIGHT_COLOURS,
        # A trend point opens the list behind it: its bucket as the day or month, the same region and
        # industry (situation.js adds kind, period, date and grade).
        "listBase": "/situation/list?"
        + urlencode(
            {k: v for k, v in {"region": snapshot.region, "industry": snapshot.industry}.items() if v}
        ),
    }


# ---- pages ----------------------------------------------------------------------------------------


@router.get("/situation", name="situation")
def situation_page(
    request: Request,
    locale: Locale,
    user: Reader,
    period: Period = "today",
    day: Day = None,
    region: Region = None,
    industry: Word = None,
) -> Response:
    flt = _filter(user, period, day, region, industry)
    snapshot = service.compute(db=get_database(request), flt=flt)
    base = _query(flt, day is not None)

    def page_link(**changes: str | None) -> str:
        return "/situation?" + urlencode({k: v for k, v in {**base, **changes}.items() if v})

    def list_link(kind: str, **extra: str | None) -> str:
        return "/situation/list?" + urlencode(_query(flt, day is not None, kind=kind, **extra))

    context = {
        "s": snapshot,
        "flt": flt,
        "page_link": page_link,
        "list_link": list_link,
        "crumbs": _crumbs(flt),
        "last_day": snapshot.window[1] - timedelta(days=1),
        "query": urlencode(base),
        # JSON for situation.js in a non-executed <script type="application/json"> block; "<" is escaped
        # so that no value can close the block.
        "chart_json": Markup(
            json.dumps(_chart_data(snapshot, locale, page_link), ensure_ascii=False).replace("<", "\\u003c")
        ),
        "industries": get_catalog().enums["industry"],
        **_labels(locale),
    }
    name = "situation/_body.html" if is_htmx(request) else "situation/page.html"
    return render(request, name, context)


@router.get("/situation/list", name="situation_list")
def situation_list(
    request: Request,
    db_session: DbSession,
    locale: Locale,
    user: Reader,
    kind: Kind = "open_warnings",
    period: Period = "today",
    day: Day = None,
    region: Region = None,
    industry: Word = None,
    grade: Grade = None,
    project: Word = None,
    section: Word = None,
    page: PageNo = 1,
) -> Response:
    """The rows behind a number of the screen, each leading to its section."""
    flt = _filter(user, period, day, region, industry)
    offset = (page - 1) * PAGE_SIZE
    rows: list[Any] = []
    if kind in service.LAKE_KINDS:
        con = service.LAKE.cursor(get_database(request))
        try:
            total, rows = service.list_lake(con, kind, flt, limit=PAGE_SIZE, offset=offset)
        finally:
            con.close()
    elif kind in service.WARNING_KINDS:
        sections: list[str] | None = None
        if project:
            con = service.LAKE.cursor(get_database(request))
            try:
                sections = service.project_sections(con, project)
            finally:
                con.close()
        elif section:
            sections = [section]
        total, rows = service.list_warnings(
            db_session=db_session,
            flt=flt,
            grade=grade or None,
            open_only=kind == "open_warnings",
            sections=sections,
            limit=PAGE_SIZE,
            offset=offset,
        )
    else:
        total, rows = service.list_overdue(db_session=db_session, flt=flt, limit=PAGE_SIZE, offset=offset)
    extra = {"kind": kind, "grade": grade, "project": project, "section": section}
    query = _query(flt, day is not None, **extra)
    start, end = flt.window()
    context = {
        "kind": kind,
        "rows": rows,
        "total": total,
        "flt": flt,
        "grade": grade,
        "project": project,
        "section": section,
        "window": (start, end - timedelta(days=1)),  # shown as inclusive dates
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "base": "/situation/list?" + urlencode(query) + "&",
        "back": "/situation?" + urlencode(_query(flt, day is not None)),
        "can_cases": any(g.role in ("inspector", "regulator", "reviewer") for g in user.grants),
        **_labels(locale),
    }
    return render(request, "situation/list.html", context)


# ---- the live stream ---------------------------------------------------------------------------------


def _event(snapshot: Snapshot) -> str:
    body = json.dumps(snapshot.as_json(), ensure_ascii=False, separators=(",", ":"), default=str)
    return f"event: snapshot\nid: {snapshot.digest}\ndata: {body}\n\n"


def _pulse(db: Database, follow_today: bool) -> str:
    with db.session() as session:
        current = service.pulse(db_session=session)
    # Without a chosen date the screen is about "today", which itself changes at midnight.
    return current + (f"|{service.today_in_china()}" if follow_today else "")


async def snapshot_events(
    request: Request,
    db: Database,
    flt: Filter,
    *,
    follow_today: bool,
    since: str | None,
    max_events: int | None,
) -> AsyncIterator[str]:
    """Send the figures whenever they change, until the client goes away or ``max_events`` are sent.

    The pulse (batches, warnings, cases) is read every second; only when it moved are the figures
    recomputed, and only when the reader's own figures differ from the last ones sent is an event
    sent — so a commit in another jurisdiction costs a recount but tells this reader nothing.
    """
    yield "retry: 3000\n\n"
    sent, last_digest, last_pulse, quiet = 0, since, None, 0.0
    while not await request.is_disconnected():
        current = await anyio.to_thread.run_sync(_pulse, db, follow_today)
        if current != last_pulse:
            last_pulse = current
            if follow_today:
                flt = flt.with_(day=service.today_in_china())
            snapshot = await anyio.to_thread.run_sync(partial(service.compute, db=db, flt=flt))
            if snapshot.digest != last_digest:
                last_digest = snapshot.digest
                yield _event(snapshot)
                sent, quiet = sent + 1, 0.0
                if max_events is not None and sent >= max_events:
                    return
        await anyio.sleep(POLL_SECONDS)
        quiet += POLL_SECONDS
        if quiet >= HEARTBEAT_SECONDS:
            yield ": keepalive\n\n"
            quiet = 0.0


def stream_scope(request: Request) -> service.Scope:
    """The reader's jurisdiction, checked like ``Reader`` but in a session closed before the stream
    starts: the request-scoped session of ``DbSession`` would stay open (a transaction held, on
    PostgreSQL a pooled connection) for as long as the browser keeps the page open."""
    with get_database(request).session() as session:
        user = require_user(get_current_user(request, session))
        require_role(*READER_ROLES)(user)
        return scope_of(user)


@router.get("/situation/stream", name="situation_stream")
def situation_stream(
    request: Request,
    scope: Annotated[service.Scope, Depends(stream_scope)],
    period: Period = "today",
    day: Day = None,
    region: Region = None,
    industry: Word = None,
    since: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9a-f]*$")] = None,
    max_events: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> StreamingResponse:
    """Server-sent events: ``snapshot`` with the figures of /api/v1/situation whenever they change.

    ``since`` is the digest the client already shows (nothing is sent until the figures differ);
    ``max_events`` ends the stream after that many snapshots (tests, scripts).
    """
    flt = _scoped(scope, period, day, region, industry)
    events = snapshot_events(
        request,
        get_database(request),
        flt,
        follow_today=day is None,
        since=since or None,
        max_events=max_events,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


# ---- API --------------------------------------------------------------------------------------------


@api_router.get("/situation")
def api_situation(
    request: Request,
    user: Reader,
    period: Period = "today",
    day: Day = None,
    region: Region = None,
    industry: Word = None,
) -> dict[str, Any]:
    """The figures of the overall-situation screen for the caller's jurisdiction (docs/situation.md)."""
    flt = _filter(user, period, day, region, industry)
    return service.compute(db=get_database(request), flt=flt).as_json()

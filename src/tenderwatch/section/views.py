"""标段分析 page and API: one section's bids, screens, fingerprints, personnel, expert scores, the graph
of its bidders and its warnings (docs/section.md).

Who: the analyst roles (the readers of warnings), and only for a section inside the jurisdiction of one
of their grants; another region's section answers 404 like a code that does not exist.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case.models import Case
from tenderwatch.catalog.service import get_catalog
from tenderwatch.common.regions import region_name
from tenderwatch.db import Database
from tenderwatch.graph import flows as graph_flows
from tenderwatch.graph.edges import NODE_TYPES, RELATION_LABELS
from tenderwatch.graph.service import Graph, SubGraph, node_type, node_value
from tenderwatch.graph.views import NODE_COLOURS, EdgeOut, GraphOut, NodeOut
from tenderwatch.section import service
from tenderwatch.section.service import SectionData
from tenderwatch.warning import service as warning_service
from tenderwatch.warning.service import WarningFilter
from tenderwatch.web.deps import DbSession, Locale, get_database, require_role
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import ANALYST_ROLES, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["sections"])
Analyst = Annotated[User, Depends(require_role(*ANALYST_ROLES))]
PERSONAL_GRAPH_TYPES = frozenset({"person", "phone", "email", "account"})

Scope = tuple[tuple[str, tuple[str, ...]], ...]


def scope_of(user: User) -> Scope:
    return tuple((g.region_prefix, tuple(g.industries)) for g in user.grants if g.role in ANALYST_ROLES)


# ---- what the screens mean (docs/screens.md has the definitions) -----------------------------------

SCREEN_TEXT: dict[str, tuple[str, str, str]] = {
    "cv": (
        N_("Coefficient of variation (CV)"),
        N_("The spread of the bids relative to their mean."),
        N_(
            "Low is suspicious: bids bunched together, as when covers are priced just above an agreed "
            "winner. Collusive tenders in real cartel markets had a median CV of 0.004–0.06, clean ones "
            "0.008–0.16."
        ),
    ),
    "spd": (
        N_("Spread (SPD)"),
        N_("(highest bid − lowest bid) / lowest bid."),
        N_("A small spread means every bidder priced almost alike; suspicious together with a low CV."),
    ),
    "diffp": (
        N_("Gap to the next bid (DIFFP)"),
        N_("(second lowest distinct bid − lowest bid) / lowest bid."),
        N_(
            "A large gap above a bunch of losing bids is the cover-bid pattern; a small gap alone is "
            "ordinary competition."
        ),
    ),
    "rd": (
        N_("Relative distance (RD)"),
        N_("The gap between the two lowest bids divided by the spread of the losing bids."),
        N_(
            "Above 1 the lowest bid stands apart from losing bids that are bunched together: the classic "
            "trace of cover bidding (collusive tenders median 1.3–1.7, clean 0.25–0.8). Needs 3 bids."
        ),
    ),
    "skew": (
        N_("Skewness (SKEW)"),
        N_("The asymmetry of the bids around their mean."),
        N_("Means little alone; read it with CV and RD. Needs 3 bids."),
    ),
    "kurt": (
        N_("Kurtosis (KURT)"),
        N_("How peaked the bids are: most bids at one level and a few far away."),
        N_("High values can show covers placed at one level around a lone winner. Needs 4 bids."),
    ),
    "kstest": (
        N_("Distance from an even spread (KSTEST)"),
        N_("Kolmogorov–Smirnov distance of the bids from an even spread between the lowest and highest."),
        N_("Large values mean the bids are not spread evenly, as competing bids tend to be."),
    ),
}
# The two screens with a documented direction across markets; a value past these asks for a closer
# look, nothing more (the classifier and C30 are where screens become warnings).
CV_ATTENTION = 0.03
RD_ATTENTION = 1.0
RD_MIN_BIDS = 4


def attention(name: str, value: float, bid_count: int) -> bool:
    if name == "cv":
        return value < CV_ATTENTION
    if name == "rd":
        return bid_count >= RD_MIN_BIDS and value > RD_ATTENTION
    return False


STATUS_LABELS = {"announced": N_("Announced"), "opened": N_("Bids opened"), "awarded": N_("Awarded")}
ROLE_LABELS = {"operator": N_("Bid operator"), "guarantee_applicant": N_("Guarantee applicant")}
GROUP_LABELS = {
    "ip": N_("IP address"),
    "account": N_("Bank account"),
    "document_person": N_("Document author"),
    "download_account": N_("Download account"),
}
MEASURE_LABELS = {"technical": N_("Technical score"), "total": N_("Total score")}
GRADE_LABELS = {"red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow")}


# ---- loading ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WarningRow:
    id: int
    grade: str
    subject_type: str
    subject_id: str
    model_ids: list[str]
    status: str
    case_id: int | None


_lake_lock = threading.Lock()
_lakes: dict[str, tuple[tuple[int, ...], duckdb.DuckDBPyConnection]] = {}


def lake_cursor(database: Database) -> duckdb.DuckDBPyConnection:
    """A cursor on a DuckDB whose views match the committed batches, kept per lake state.

    Creating the views of every dataset costs a few hundred milliseconds, more than reading one
    section; the views are kept until an import or a rollback changes the batches. Each request gets
    a cursor of its own (a DuckDB cursor is a separate connection to the same database, safe to use
    in another thread). An outdated DuckDB is dropped, not closed: closing it would close the cursors
    of requests still reading it; it goes when the last of them does."""
    state = graph_flows.lake_state(database)
    place = str(database.settings.lake_dir)
    with _lake_lock:
        cached = _lakes.get(place)
        if cached is None or cached[0] != state.key:
            cached = (state.key, graph_flows.open_lake(database, state))
            _lakes[place] = cached
        return cached[1].cursor()


def _load(database: Database, code: str) -> SectionData | None:
    con = lake_cursor(database)
    try:
        return service.load(con, code)
    finally:
        con.close()


async def _section(request: Request, user: User, code: str) -> SectionData:
    data = await run_in_threadpool(_load, get_database(request), code)
    # Out of jurisdiction looks the same as missing: a code says nothing about other regions.
    if data is None or not service.visible(scope_of(user), data.head.region_code, data.head.industry):
        raise HTTPException(status_code=404)
    return data


def _load_bidders(database: Database, code: str) -> tuple[service.Header, list[str]] | None:
    con = lake_cursor(database)
    try:
        head = service.header(con, code)
        return None if head is None else (head, [b.bidder_uscc for b in service.bids(con, head)])
    finally:
        con.close()


def _warnings(db_session: DbSession, user: User, code: str) -> list[WarningRow]:
    flt = WarningFilter(section=code, scope=scope_of(user))
    items = warning_service.list_warnings(db_session=db_session, flt=flt, limit=200, offset=0)
    ids = [w.id for w in items]
    cases = dict(db_session.execute(select(Case.warning_id, Case.id).where(Case.warning_id.in_(ids))).all())
    return [
        WarningRow(
            w.id,
            w.grade,
            w.subject_type,
            w.subject_id,
            [str(m.get("id")) for m in w.models],
            w.status,
            cases.get(w.id),
        )
        for w in items
    ]


def _record_view(db_session: DbSession, user: User, data: SectionData, what: str) -> None:
    """One ``view_personal`` per view: the page names bid staff, operators, applicants and experts. The
    ID numbers go to the erasable part; the details say only how many and which section."""
    persons = data.person_ids
    if not persons:
        return
    audit(
        db_session,
        user.username,
        "view_personal",
        "section",
        data.head.section_code,
        details={"view": what, "persons": len(persons)},
        personal={"persons": persons},
    )
    db_session.commit()


# ---- API --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScreenOut:
    name: str
    value: float
    label: str
    meaning: str
    suspicious_when: str
    attention: bool


@dataclass(frozen=True, slots=True)
class SectionOut:
    header: service.Header
    region_name: str
    bids: list[service.Bid]
    screens: list[ScreenOut]
    fingerprints: service.Fingerprints
    personnel: service.Personnel
    scores: service.Scores
    warnings: list[WarningRow]
    graph_url: str


def _screens(data: SectionData, locale: str) -> list[ScreenOut]:
    valid = sum(1 for b in data.bids if not b.disqualified)
    return [
        ScreenOut(
            name,
            value,
            translate(locale, SCREEN_TEXT[name][0]),
            translate(locale, SCREEN_TEXT[name][1]),
            translate(locale, SCREEN_TEXT[name][2]),
            attention(name, value, valid),
        )
        for name, value in data.screens.items()
    ]


def _graph_url(code: str) -> str:
    return f"/api/v1/sections/{code}/graph"


@api_router.get("/sections/{section_code}", response_model=SectionOut)
async def api_section(
    request: Request, section_code: str, db_session: DbSession, locale: Locale, user: Analyst
) -> Any:
    """标段分析 / One section: bids, screens, fingerprints, personnel, expert scores, warnings."""
    data = await _section(request, user, section_code)
    _record_view(db_session, user, data, "api")
    return SectionOut(
        header=data.head,
        region_name=region_name(data.head.region_code),
        bids=data.bids,
        screens=_screens(data, locale),
        fingerprints=data.fingerprints,
        personnel=data.personnel,
        scores=data.scores,
        warnings=_warnings(db_session, user, section_code),
        graph_url=_graph_url(section_code),
    )


def _graph_out(sub: SubGraph, graph: Graph, locale: str) -> GraphOut:
    return GraphOut(
        nodes=[
            NodeOut(
                id=n,
                type=node_type(n),
                type_label=translate(locale, NODE_TYPES.get(node_type(n), node_type(n))),
                value=node_value(n),
                label=graph.label(n),
                degree=graph.degree(n),
                truncated=False,
            )
            for n in sub.nodes
        ],
        edges=[
            EdgeOut(
                source=e.src,
                target=e.dst,
                relation=e.relation,
                relation_label=translate(locale, RELATION_LABELS.get(e.relation, e.relation)),
                detail=e.detail,
                records=e.records,
                dataset=e.dataset,
                record_key=e.record_key,
            )
            for e in sub.edges
        ],
        found=bool(sub.nodes),
    )


@api_router.get("/sections/{section_code}/graph", response_model=GraphOut)
async def api_section_graph(
    request: Request, section_code: str, db_session: DbSession, locale: Locale, user: Analyst
) -> Any:
    """投标人关联图 / The bidders of one section and the persons, phones, accounts and devices linking them.

    Separate from the page so the page does not wait for the correlation graph (built once per lake
    state, shared with the correlation analysis page)."""
    found = await run_in_threadpool(_load_bidders, get_database(request), section_code)
    if found is None or not service.visible(scope_of(user), found[0].region_code, found[0].industry):
        raise HTTPException(status_code=404)
    graph = await run_in_threadpool(graph_flows.get_graph, get_database(request))
    sub = service.bidder_graph(graph, found[1])
    personal = [n for n in sub.nodes if node_type(n) in PERSONAL_GRAPH_TYPES]
    if personal:
        # The graph names persons, phones and accounts the page itself does not show: its own record.
        audit(
            db_session,
            user.username,
            "view_personal",
            "section",
            section_code,
            details={"view": "graph", "nodes": len(sub.nodes), "personal_nodes": len(personal)},
            personal={"nodes": personal},
        )
        db_session.commit()
    return _graph_out(sub, graph, locale)


# ---- pages ------------------------------------------------------------------------------------------

JS_MESSAGES = {
    "control_price": N_("Control price"),
    "share": N_("Percent of control price"),
    "winner": N_("Winner"),
    "disqualified": N_("Disqualified"),
    "deviation": N_("Deviation from the other experts' median"),
    "outlier": N_("Outlier"),
    "no_links": N_("No relation links these bidders in the lake."),
    "loading": N_("Loading…"),
    "failed": N_("The graph could not be loaded."),
    "records": N_("records"),
    "source": N_("Source"),
}


def _chart_config(data: SectionData, locale: str, code: str) -> dict[str, Any]:
    names = data.names
    return {
        "bids": [
            {
                "name": b.bidder_name,
                "uscc": b.bidder_uscc,
                "price": float(b.price),
                "share": None if b.share_of_control is None else round(b.share_of_control * 100, 3),
                "winner": b.winner,
                "disqualified": b.disqualified,
            }
            for b in data.bids
        ],
        "heatmap": {
            "experts": [e.name for e in data.scores.experts],
            "bidders": [names.get(u, u) for u in data.scores.bidders],
            "cells": [
                [
                    c.bidder,
                    c.expert,
                    c.value,
                    None if c.deviation is None else round(c.deviation, 2),
                    c.outlier,
                ]
                for c in data.scores.cells
            ],
            "max": data.scores.scale,
            "measure": translate(locale, MEASURE_LABELS[data.scores.measure]),
        },
        "graph": {
            "url": _graph_url(code),
            "bidders": [f"company:{b.bidder_uscc}" for b in data.bids],
            "types": {
                k: {"label": translate(locale, v), "colour": NODE_COLOURS[k]} for k, v in NODE_TYPES.items()
            },
        },
        "messages": {k: translate(locale, v) for k, v in JS_MESSAGES.items()},
    }


def _json_block(value: dict[str, Any]) -> Markup:
    # For a non-executed <script type="application/json"> block; "<" is escaped so no value can close it.
    return Markup(json.dumps(value, ensure_ascii=False).replace("<", "\\u003c"))


@router.get("/sections", name="sections")
async def sections_page(
    request: Request, user: Analyst, q: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    """The search box: an exact code in jurisdiction opens the section; otherwise the matches."""
    query = q.strip()
    database = get_database(request)

    def find() -> list[dict[str, Any]]:
        con = lake_cursor(database)
        try:
            return service.search(con, scope_of(user), query)
        finally:
            con.close()

    found = await run_in_threadpool(find)
    if query and len(found) == 1 and found[0]["section_code"] == query:
        return RedirectResponse(f"/sections/{query}", status_code=303)
    catalog = get_catalog()
    context = {
        "q": query,
        "sections": found,
        "industry_labels": catalog.enums["industry"],
        "region_name": region_name,
    }
    return render(request, "section/list.html", context)


@router.get("/sections/{section_code}", name="section")
async def section_page(
    request: Request, section_code: str, db_session: DbSession, locale: Locale, user: Analyst
) -> Response:
    data = await _section(request, user, section_code)
    _record_view(db_session, user, data, "page")
    catalog = get_catalog()

    def field_label(dataset: str, name: str) -> str:
        return catalog.dataset(dataset).field(name).label(locale)

    def enum_label(enum: str, code: str) -> str:
        return catalog.enum_label(enum, code, locale)

    context = {
        "d": data,
        "h": data.head,
        "names": data.names,
        "region": region_name(data.head.region_code),
        "screens": _screens(data, locale),
        "warnings": _warnings(db_session, user, section_code),
        "status_labels": STATUS_LABELS,
        "role_labels": ROLE_LABELS,
        "group_labels": GROUP_LABELS,
        "grade_labels": GRADE_LABELS,
        "measure_labels": MEASURE_LABELS,
        "field_label": field_label,
        "enum_label": enum_label,
        "attention_cv": CV_ATTENTION,
        "attention_rd": RD_ATTENTION,
        "config_json": _json_block(_chart_config(data, locale, section_code)),
    }
    return render(request, "section/page.html", context)

"""关联分析 page and API: entity search, neighbourhood, shortest path, co-bidding groups."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from tenderwatch.audit.personal import PERSONAL_NODE_TYPES, record_apart
from tenderwatch.auth.models import User
from tenderwatch.graph import flows
from tenderwatch.graph.edges import NODE_TYPES, RELATION_LABELS
from tenderwatch.graph.service import DEFAULT_NODE_CAP, BidGroup, Graph, SubGraph, node_type, node_value
from tenderwatch.web.deps import Locale, get_database, require_role
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["graph"])
# The lake's correlations name persons (ID numbers) across the province: only the roles that investigate
# warnings (the same as warning readers) may browse them; data stewards, administrators and the trading
# platform may not.
ANALYST_ROLES = ("inspector", "regulator", "reviewer", "model_owner")
Analyst = Annotated[User, Depends(require_role(*ANALYST_ROLES))]

NodeId = Annotated[str, Query(min_length=1, max_length=200)]
Depth = Annotated[int, Query(ge=1, le=2)]
Cap = Annotated[int, Query(ge=10, le=500)]
MinSections = Annotated[int, Query(ge=2, le=1000)]
GROUP_PAGE = 50

# The colours of the node types, shared by the legend and the chart.
NODE_COLOURS = {
    "company": "#0f3460",
    "person": "#c8161d",
    "phone": "#2e7d32",
    "email": "#00838f",
    "account": "#b26a00",
    "device": "#6a1b9a",
    "ip": "#455a64",
    "address": "#8d6e63",
}


class NodeOut(BaseModel):
    id: str
    type: str
    type_label: str
    value: str
    label: str
    degree: int
    truncated: bool


class EdgeOut(BaseModel):
    source: str
    target: str
    relation: str
    relation_label: str
    detail: str | None
    records: int
    dataset: str
    record_key: str


class GraphOut(BaseModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    found: bool


class GroupOut(BaseModel):
    companies: list[NodeOut]
    pairs: int
    max_shared_sections: int


class GroupList(BaseModel):
    min_sections: int
    total: int
    items: list[GroupOut]


def _node_out(graph: Graph, node: str, locale: str, truncated: bool = False) -> NodeOut:
    kind = node_type(node)
    return NodeOut(
        id=node,
        type=kind,
        type_label=translate(locale, NODE_TYPES.get(kind, kind)),
        value=node_value(node),
        label=graph.label(node),
        degree=graph.degree(node),
        truncated=truncated,
    )


def _graph_out(graph: Graph, sub: SubGraph | None, locale: str) -> GraphOut:
    if sub is None:
        return GraphOut(nodes=[], edges=[], found=False)
    return GraphOut(
        nodes=[_node_out(graph, n, locale, n in sub.truncated) for n in sub.nodes],
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


async def _graph(request: Request) -> Graph:
    # Building reads the whole lake once (then it is cached): off the event loop.
    return await run_in_threadpool(flows.get_graph, get_database(request))


async def _groups(request: Request, min_sections: int) -> list[BidGroup]:
    return await run_in_threadpool(flows.get_groups, get_database(request), min_sections)


async def _record_view(
    request: Request, user: User, what: str, nodes: list[str], query: dict[str, str]
) -> None:
    """One ``view_personal`` when the answer shows a person, a phone, an e-mail or an account; the node
    ids (which are the identifiers) and what was asked go to the erasable part only."""
    personal = [n for n in nodes if node_type(n) in PERSONAL_NODE_TYPES]
    if not personal:
        return
    details = {"nodes": len(nodes), "personal_nodes": len(personal)}
    await run_in_threadpool(
        record_apart,
        get_database(request),
        user.username,
        "view_personal",
        "graph",
        what,
        details,
        {"nodes": personal, "query": query},
    )


def _resolve(graph: Graph, text: str) -> str:
    node = graph.resolve(text)
    if node is None:
        raise HTTPException(status_code=404)
    return node


# ---- API --------------------------------------------------------------------------------------------


@api_router.get("/graph/search", response_model=list[NodeOut])
async def api_search(
    request: Request, locale: Locale, user: Analyst, q: Annotated[str, Query(max_length=100)] = ""
) -> Any:
    graph = await _graph(request)
    found = graph.search(q)
    await _record_view(request, user, "search", found, {"q": q})
    return [_node_out(graph, n, locale) for n in found]


@api_router.get("/graph/neighbourhood", response_model=GraphOut)
async def api_neighbourhood(
    request: Request,
    locale: Locale,
    user: Analyst,
    node: NodeId,
    depth: Depth = 1,
    limit: Cap = DEFAULT_NODE_CAP,
) -> Any:
    graph = await _graph(request)
    sub = graph.neighbourhood(_resolve(graph, node), depth, limit)
    await _record_view(request, user, "neighbourhood", list(sub.nodes), {"node": node})
    return _graph_out(graph, sub, locale)


@api_router.get("/graph/path", response_model=GraphOut)
async def api_path(
    request: Request,
    locale: Locale,
    user: Analyst,
    source: NodeId,
    target: NodeId,
) -> Any:
    graph = await _graph(request)
    sub = graph.shortest_path(_resolve(graph, source), _resolve(graph, target))
    if sub is not None:
        await _record_view(request, user, "path", list(sub.nodes), {"source": source, "target": target})
    return _graph_out(graph, sub, locale)


@api_router.get("/graph/groups", response_model=GroupList)
async def api_groups(
    request: Request,
    locale: Locale,
    _user: Analyst,
    min_sections: MinSections = 3,
    limit: Annotated[int, Query(ge=1, le=500)] = GROUP_PAGE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    graph, groups = await _graph(request), await _groups(request, min_sections)
    return GroupList(
        min_sections=min_sections,
        total=len(groups),
        items=[
            GroupOut(
                companies=[_node_out(graph, f"company:{c}", locale) for c in g.companies],
                pairs=g.pairs,
                max_shared_sections=g.max_shared_sections,
            )
            for g in groups[offset : offset + limit]
        ],
    )


# ---- page -------------------------------------------------------------------------------------------

JS_MESSAGES = {
    "no_match": N_("No entity matches."),
    "no_path": N_("No connection found within 8 steps."),
    "not_found": N_("This entity is not in the graph."),
    "more": N_("has more relations: click to expand"),
    "records": N_("records"),
    "source": N_("Source"),
    "loading": N_("Loading…"),
}


@router.get("/graph", name="graph")
async def graph_page(
    request: Request,
    locale: Locale,
    _user: Analyst,
    node: Annotated[str | None, Query(max_length=200)] = None,
    min_sections: MinSections = 3,
) -> Response:
    groups = await _groups(request, min_sections)
    graph = await _graph(request)
    config = {
        "types": {
            k: {"label": translate(locale, v), "colour": NODE_COLOURS[k]} for k, v in NODE_TYPES.items()
        },
        "messages": {k: translate(locale, v) for k, v in JS_MESSAGES.items()},
        "start": graph.resolve(node) if node else None,
    }
    context = {
        "groups": groups[:GROUP_PAGE],
        "group_total": len(groups),
        "min_sections": min_sections,
        "graph_label": graph.label,
        "node_types": NODE_TYPES,
        "colours": NODE_COLOURS,
        "node": node or "",
        "node_count": graph.node_count,
        "edge_count": len(graph.edges),
        # JSON for the page script, in a non-executed <script type="application/json"> block; "<"
        # is escaped so no value can close the block.
        "config_json": Markup(json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")),
    }
    name = "graph/_groups.html" if is_htmx(request) else "graph/page.html"
    return render(request, name, context)

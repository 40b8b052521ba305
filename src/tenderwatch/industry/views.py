"""行业监管 pages (/industry, /industry/construction), their JSON twins (/api/v1/industry…) and the CSV
export of each list.

Read-only. Who: regulators (their own industries and region), inspectors (every industry of their
region) and administrators; the lists are narrowed in SQL (industry/service.py). Lists that name persons
show ID numbers masked unless asked (``show_ids``) and record one ``view_personal`` per page view; every
export is recorded as ``export`` before its body is sent.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from tenderwatch.audit.service import record as audit
from tenderwatch.auth import service as auth_service
from tenderwatch.auth.models import User
from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import mask_id_number
from tenderwatch.common.regions import region_name
from tenderwatch.db import Database, utcnow
from tenderwatch.industry import service
from tenderwatch.industry.service import CONSTRUCTION_LISTS, DASHBOARD_LISTS, Lake, Scope
from tenderwatch.web.deps import DbSession, Locale, get_database, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/industry", tags=["industry"])

PAGE_SIZE = 25
Reader = Annotated[User, Depends(require_role(*service.ROLES))]
Db = Annotated[Database, Depends(get_database)]
Industry = Annotated[str | None, Query(pattern="^(building|transport|water|procurement|other)?$")]
Search = Annotated[str | None, Query(max_length=64)]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
DashboardList = Annotated[str, Query(alias="list", pattern="^(projects|units|personnel)$")]
ConstructionList = Annotated[str, Query(alias="list", pattern="^(sites|conflicts|changes|warnings)$")]
ExportList = Annotated[
    str, Query(alias="list", pattern="^(projects|units|personnel|sites|conflicts|changes)$")
]

LIST_LABELS = {
    "projects": N_("Projects"),
    "units": N_("Participating units"),
    "personnel": N_("Key personnel"),
    "sites": N_("Active sites"),
    "conflicts": N_("Manager conflicts"),
    "changes": N_("Manager changes after award"),
    "warnings": N_("Warnings"),
}
STAGE_LABELS = {
    "registered": N_("Registered"),
    "tendering": N_("Tendering"),
    "awarded": N_("Awarded"),
    "contracted": N_("Contracted"),
    "under_construction": N_("Under construction"),
    "completed": N_("Completed"),
}
SOURCE_LABELS = {"registry": N_("Construction registry"), "award": N_("Award (not yet in the registry)")}
GRADE_LABELS = {"red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow")}


def mask_id(value: object) -> str:
    """A list cell's ID number masked (``mask_id_number``); an empty cell stays empty."""
    return mask_id_number("" if value is None else str(value))


def _scope(user: User, industry: str | None) -> tuple[Scope, Scope]:
    """The user's whole scope (for the industry selector) and the one narrowed to the chosen industry."""
    whole = service.scope_of(user)
    return whole, whole.narrow(industry)


def _lake(database: Database) -> Lake:
    return service.open_lake(database)


def _record_view(db_session: DbSession, user: User, what: str, persons: list[str], unmasked: bool) -> None:
    """One ``view_personal`` for a page view that names persons; none for a page without any."""
    if not persons:
        return
    audit(
        db_session,
        user.username,
        "view_personal",
        "industry",
        what,
        details={"rows": len(persons), "unmasked": unmasked},
        personal={"persons": persons},
    )
    db_session.commit()


def _labels(locale: str) -> dict[str, Any]:
    catalog = get_catalog()

    def dataset_name(dataset_id: str) -> str:
        dataset = catalog.dataset(dataset_id)
        return dataset.zh if locale.startswith("zh") else dataset.en

    return {
        "dataset_name": dataset_name,
        "industry_labels": catalog.enums["industry"],
        "role_labels": catalog.enums["personnel_role"],
        "certificate_labels": catalog.enums["certificate_type"],
        "status_labels": catalog.enums["construction_status"],
        "list_labels": LIST_LABELS,
        "stage_labels": STAGE_LABELS,
        "source_labels": SOURCE_LABELS,
        "grade_labels": GRADE_LABELS,
        "region_name": region_name,
    }


def _base(path: str, **params: str | None) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return path + "?" + (query + "&" if query else "")


def _listing(
    lake: Lake, name: str, scope: Scope, on: date, q: str | None, page: int
) -> tuple[service.Query, int, list[dict[str, Any]]]:
    query = service.query_of(name, scope, on)
    total = service.count(lake, query, q)
    rows = service.fetch(lake, query, q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return query, total, rows


# ---- 行业监管 dashboard -----------------------------------------------------------------------------


def _dashboard(
    database: Database, user: User, industry: str | None, chosen: str, q: str | None, page: int
) -> dict[str, Any]:
    whole, scope = _scope(user, industry)
    on = utcnow().date()
    lake = _lake(database)
    try:
        counts = {n: service.count(lake, service.query_of(n, scope, on)) for n in DASHBOARD_LISTS}
        query, total, rows = _listing(lake, chosen, scope, on, q, page)
        sections = (
            service.sections_of(lake, [str(r["tender_project_code"]) for r in rows])
            if chosen == "projects"
            else {}
        )
        missing = lake.missing(service.NEEDS[chosen])
        optional = lake.missing(service.OPTIONAL[chosen])
    finally:
        lake.close()
    return {
        "scope": scope,
        "industries": whole.industries(),
        "industry": industry or "",
        "counts": counts,
        "list": chosen,
        "q": q or "",
        "total": total,
        "rows": rows,
        "sections": sections,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "missing": missing,
        "optional": optional,
        "persons": service.persons_in(query, rows),
        "on": on,
    }


@router.get("/industry", name="industry")
def industry_page(
    request: Request,
    db_session: DbSession,
    database: Db,
    locale: Locale,
    user: Reader,
    industry: Industry = None,
    list_: DashboardList = "projects",
    q: Search = None,
    page: Page = 1,
    show_ids: bool = False,
) -> Response:
    data = _dashboard(database, user, industry or None, list_, q, page)
    _record_view(db_session, user, f"dashboard/{list_}", data["persons"], show_ids)
    context = {
        **data,
        **_labels(locale),
        "show_ids": show_ids,
        "mask": (lambda v: "" if v is None else str(v)) if show_ids else mask_id,
        "base": _base("/industry", industry=industry, list=list_, q=q, show_ids="1" if show_ids else None),
        "export": _base("/industry/export.csv", industry=industry, list=list_, q=q),
    }
    name = "industry/_dashboard_table.html" if is_htmx(request) else "industry/dashboard.html"
    return render(request, name, context)


# ---- 在建项目 projects under construction -----------------------------------------------------------


def _construction(
    db_session: DbSession,
    database: Database,
    user: User,
    industry: str | None,
    chosen: str,
    q: str | None,
    page: int,
) -> dict[str, Any]:
    whole, scope = _scope(user, industry)
    on = utcnow().date()
    may_warn = auth_service.has_role(user, *service.WARNING_ROLES)
    warn_scope = service.warning_scope(user).narrow(industry)
    lake = _lake(database)
    try:
        counts = {n: service.count(lake, service.query_of(n, scope, on)) for n in CONSTRUCTION_LISTS}
        rows: list[dict[str, Any]] = []
        persons: list[str] = []
        total = 0
        if chosen != "warnings":
            query, total, rows = _listing(lake, chosen, scope, on, q, page)
            persons = service.persons_in(query, rows)
        missing = lake.missing(service.NEEDS.get(chosen, ()))
        optional = lake.missing(service.OPTIONAL.get(chosen, ()))
    finally:
        lake.close()
    warnings: list[Any] = []
    n_warnings = 0
    if may_warn:
        if chosen == "warnings":
            n_warnings, warnings = service.related_warnings(
                db_session=db_session, scope=warn_scope, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
            )
            total = n_warnings
        else:
            n_warnings, warnings = service.related_warnings(db_session=db_session, scope=warn_scope)
    counts["warnings"] = n_warnings
    linked = (
        {i: service.warnings_for(row, warnings) for i, row in enumerate(rows)}
        if chosen == "conflicts"
        else {}
    )
    return {
        "scope": scope,
        "industries": whole.industries(),
        "industry": industry or "",
        "counts": counts,
        "list": chosen,
        "q": q or "",
        "total": total,
        "rows": rows,
        "warnings": warnings if chosen == "warnings" else [],
        "linked": linked,
        "may_warn": may_warn,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "missing": missing,
        "optional": optional,
        "persons": persons,
        "on": on,
    }


@router.get("/industry/construction", name="industry_construction")
def construction_page(
    request: Request,
    db_session: DbSession,
    database: Db,
    locale: Locale,
    user: Reader,
    industry: Industry = None,
    list_: ConstructionList = "sites",
    q: Search = None,
    page: Page = 1,
    show_ids: bool = False,
) -> Response:
    data = _construction(db_session, database, user, industry or None, list_, q, page)
    _record_view(db_session, user, f"construction/{list_}", data["persons"], show_ids)
    context = {
        **data,
        **_labels(locale),
        "show_ids": show_ids,
        "mask": (lambda v: "" if v is None else str(v)) if show_ids else mask_id,
        "base": _base(
            "/industry/construction", industry=industry, list=list_, q=q, show_ids="1" if show_ids else None
        ),
        "export": _base("/industry/export.csv", industry=industry, list=list_, q=q),
        "model_ids": service.warning_models,
    }
    name = "industry/_construction_table.html" if is_htmx(request) else "industry/construction.html"
    return render(request, name, context)


# ---- CSV export -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values() if v is not None) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


def _csv(rows: list[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so that Excel opens the UTF-8 file as UTF-8
    writer = csv.writer(buffer)
    if rows:
        writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([_cell(v) for v in row.values()])
    yield buffer.getvalue()


@router.get("/industry/export.csv", name="industry_export")
def export_csv(
    db_session: DbSession,
    database: Db,
    user: Reader,
    list_: ExportList = "projects",
    industry: Industry = None,
    q: Search = None,
) -> Response:
    _, scope = _scope(user, industry or None)
    lake = _lake(database)
    try:
        query = service.query_of(list_, scope, utcnow().date())
        rows = service.fetch(lake, query, q)
    finally:
        lake.close()
    persons = service.persons_in(query, rows)
    # Recorded before the body is sent: the file holds full ID numbers, and once sent it cannot be recalled.
    audit(
        db_session,
        user.username,
        "export",
        "industry",
        list_,
        details={"format": "csv", "list": list_, "rows": len(rows), "industry": industry or "", "q": q or ""},
        personal={"persons": persons} if persons else None,
    )
    db_session.commit()
    return StreamingResponse(
        _csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="industry-{list_}.csv"'},
    )


# ---- JSON -------------------------------------------------------------------------------------------


def _json_rows(
    rows: list[dict[str, Any]], query_persons: tuple[str, ...], show_ids: bool
) -> list[dict[str, Any]]:
    if show_ids:
        return rows
    return [{k: mask_id(v) if k in query_persons else v for k, v in row.items()} for row in rows]


@api_router.get("")
def industry_json(
    db_session: DbSession,
    database: Db,
    user: Reader,
    industry: Industry = None,
    list_: DashboardList = "projects",
    q: Search = None,
    page: Page = 1,
    show_ids: bool = False,
) -> dict[str, Any]:
    """行业监管：本部门项目、参建单位、关键人员 / The department's projects, units and key personnel."""
    data = _dashboard(database, user, industry or None, list_, q, page)
    _record_view(db_session, user, f"dashboard/{list_}", data["persons"], show_ids)
    rows = data["rows"]
    if list_ == "projects":
        rows = [{**r, "section_list": data["sections"].get(str(r["tender_project_code"]), [])} for r in rows]
    columns = tuple(service.query_of(list_, data["scope"], data["on"]).person_columns)
    return {
        "industry": data["industry"] or None,
        "scope": [{"region_prefix": p, "industries": list(i)} for p, i in data["scope"].grants],
        "counts": data["counts"],
        "list": list_,
        "total": data["total"],
        "page": page,
        "pages": data["pages"],
        "missing_datasets": data["missing"],
        "items": _json_rows(rows, columns, show_ids),
    }


@api_router.get("/construction")
def construction_json(
    db_session: DbSession,
    database: Db,
    user: Reader,
    industry: Industry = None,
    list_: ConstructionList = "sites",
    q: Search = None,
    page: Page = 1,
    show_ids: bool = False,
) -> dict[str, Any]:
    """在建项目、项目经理冲突、中标后更换项目经理及相关预警 / Sites, conflicts, changes, warnings."""
    data = _construction(db_session, database, user, industry or None, list_, q, page)
    _record_view(db_session, user, f"construction/{list_}", data["persons"], show_ids)
    if list_ == "warnings":
        items: list[dict[str, Any]] = [
            {
                "id": w.id,
                "grade": w.grade,
                "models": service.warning_models(w),
                "section_code": w.section_code,
                "region_code": w.region_code,
                "industry": w.industry,
                "url": f"/warnings/{w.id}",
            }
            for w in data["warnings"]
        ]
    else:
        columns = tuple(service.query_of(list_, data["scope"], data["on"]).person_columns)
        items = _json_rows(data["rows"], columns, show_ids)
        if list_ == "conflicts":
            for i, item in enumerate(items):
                item["warnings"] = [w.id for w in data["linked"].get(i, [])]
    return {
        "industry": data["industry"] or None,
        "scope": [{"region_prefix": p, "industries": list(i)} for p, i in data["scope"].grants],
        "counts": data["counts"],
        "list": list_,
        "total": data["total"],
        "page": page,
        "pages": data["pages"],
        "missing_datasets": data["missing"],
        "items": items,
    }

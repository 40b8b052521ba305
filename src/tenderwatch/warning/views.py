"""预警 pages (list, one warning), the model library (模型库) and the warnings API. Read-only for now:
the verification workflow comes with its own milestone."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tenderwatch.audit.personal import person_ids, personal_fields
from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.catalog.service import get_catalog
from tenderwatch.detection import MODELS, get_model
from tenderwatch.engine.base import CATEGORIES, DetectionModel
from tenderwatch.engine.docs import render_markdown
from tenderwatch.warning import service
from tenderwatch.warning.models import Warning
from tenderwatch.warning.service import GRADES, WarningFilter
from tenderwatch.web.deps import CurrentUser, DbSession, Locale, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.markdown import to_html
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["warnings"])

PAGE_SIZE = 50
# Who reads warnings, each within the jurisdictions of that role's grants (DESIGN.md "Who uses it"):
# data stewards, administrators and the trading platform have no business with them.
READER_ROLES = ("inspector", "regulator", "reviewer", "model_owner")
Reader = Annotated[User, Depends(require_role(*READER_ROLES))]


def scope_of(user: User) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((g.region_prefix, tuple(g.industries)) for g in user.grants if g.role in READER_ROLES)


GRADE_LABELS = {"red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow")}
STATUS_LABELS = {"generated": N_("New, awaiting verification")}
EVENT_LABELS = {
    "raised": N_("Raised"),
    "evidence_added": N_("Evidence added"),
    "regraded": N_("Regraded"),
}
SUBJECT_LABELS = {"section": N_("Section"), "company": N_("Company"), "person": N_("Person")}

Page = Annotated[int, Query(ge=1, le=1_000_000)]
Grade = Annotated[str | None, Query(pattern="^(red|orange|yellow)?$")]
Region = Annotated[str | None, Query(pattern=r"^\d{0,6}$")]
ModelId = Annotated[str | None, Query(pattern=r"^[A-Za-z]\d{0,3}$|^$")]
Word = Annotated[str | None, Query(max_length=64, pattern=r"^[\w\-]*$")]


def _filter(
    user: User,
    grade: str | None,
    model: str | None,
    region: str | None,
    industry: str | None,
    status: str | None,
    section: str | None = None,
) -> WarningFilter:
    return WarningFilter(
        grade=grade or None,
        model=model or None,
        region=region or None,
        industry=industry or None,
        status=status or None,
        section=section or None,
        scope=scope_of(user),
    )


def model_or_none(model_id: str) -> type[DetectionModel] | None:
    try:
        return get_model(model_id)
    except KeyError:
        return None


def _model_name(model_id: str, locale: str) -> str:
    model = model_or_none(model_id)
    if model is None:
        return model_id
    return model.NAME_ZH if locale.startswith("zh") else model.NAME_EN


def _category_names(model: type[DetectionModel], locale: str) -> str:
    index = 0 if locale.startswith("zh") else 1
    return " · ".join(CATEGORIES[c][index] if c in CATEGORIES else c for c in model.CATEGORIES)


def _helpers(locale: str) -> dict[str, Any]:
    catalog = get_catalog()

    def dataset_name(dataset_id: str) -> str:
        return catalog.dataset(dataset_id).name(locale) if catalog.has(dataset_id) else dataset_id

    def field_label(dataset_id: str, name: str) -> str:
        if catalog.has(dataset_id) and name in catalog.dataset(dataset_id).field_names:
            return catalog.dataset(dataset_id).field(name).label(locale)
        return name

    return {
        "grade_labels": GRADE_LABELS,
        "status_labels": STATUS_LABELS,
        "event_labels": EVENT_LABELS,
        "subject_labels": SUBJECT_LABELS,
        "industry_labels": catalog.enums["industry"],
        "model_name": lambda m: _model_name(m, locale),
        "dataset_name": dataset_name,
        "field_label": field_label,
        "zh": locale.startswith("zh"),
    }


def _record_list_view(db_session: DbSession, user: User, items: list[Warning], entities: bool) -> None:
    """One ``view_personal`` for a list page that shows persons' ID numbers (the subjects of person
    warnings; in the API also the implicated entities); none for a page of sections and companies."""
    shown = {w.id: person_ids([w.subject_id, *(w.entities if entities else [])]) for w in items}
    persons = person_ids(p for ids in shown.values() for p in ids)
    if not persons:
        return
    audit(
        db_session,
        user.username,
        "view_personal",
        "warning",
        "list",
        details={"warnings": [i for i, ids in shown.items() if ids]},
        personal={"persons": persons},
    )
    db_session.commit()


def _record_view(db_session: DbSession, user: User, warning: Warning) -> None:
    """One ``view_personal`` for a warning that names a person: an ID number among its subject, entities
    or evidence, or evidence read from a personal field (a phone, a name, an account)."""
    catalog = get_catalog()
    persons = person_ids(
        [warning.subject_id, *warning.entities, *(e.get("entity") for e in warning.evidence)]
    )
    fields: dict[str, None] = {}
    values: dict[str, None] = {}
    for item in warning.evidence:
        dataset, field = str(item.get("dataset", "")), str(item.get("field", ""))
        if catalog.has(dataset) and field in personal_fields(catalog.dataset(dataset)):
            fields[f"{dataset}.{field}"] = None
            values[str(item.get("value", ""))] = None
    if not persons and not fields:
        return
    audit(
        db_session,
        user.username,
        "view_personal",
        "warning",
        str(warning.id),
        details={"fields": list(fields)},
        personal={"persons": persons, "values": list(values)},
    )
    db_session.commit()


def _entity_kind(entity: str) -> str:
    """A USCC is 18 characters with letters in it; an ID number is 18 digits (the last may be X)."""
    return "person" if entity[:17].isdigit() else "company"


# ---- pages ----------------------------------------------------------------------------------------


@router.get("/warnings", name="warnings")
def warnings_page(
    request: Request,
    db_session: DbSession,
    locale: Locale,
    user: Reader,
    grade: Grade = None,
    model: ModelId = None,
    region: Region = None,
    industry: Word = None,
    status: Word = None,
    section: Word = None,
    page: Page = 1,
) -> Response:
    flt = _filter(user, grade, model, region, industry, status, section)
    total = service.count_warnings(db_session=db_session, flt=flt)
    items = service.list_warnings(
        db_session=db_session, flt=flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    _record_list_view(db_session, user, items, entities=False)
    query = urlencode({k: v for k, v in vars_of(flt).items() if v})
    context = {
        "warnings": items,
        "total": total,
        "by_grade": service.count_by_grade(db_session=db_session, flt=flt),
        "flt": flt,
        "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)),
        "base": "/warnings?" + (query + "&" if query else ""),
        "models": MODELS,
        "grades": GRADES,
        **_helpers(locale),
    }
    name = "warning/_table.html" if is_htmx(request) else "warning/list.html"
    return render(request, name, context)


def vars_of(flt: WarningFilter) -> dict[str, str | None]:
    return {
        "grade": flt.grade,
        "model": flt.model,
        "region": flt.region,
        "industry": flt.industry,
        "status": flt.status,
        "section": flt.section,
    }


@router.get("/warnings/{warning_id}", name="warning")
def warning_page(
    request: Request, warning_id: int, db_session: DbSession, locale: Locale, user: Reader
) -> Response:
    warning = _warning_or_404(db_session, warning_id, user)
    _record_view(db_session, user, warning)
    evidence_by_record: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for item in warning.evidence:
        evidence_by_record.setdefault((item["dataset"], item["key"], item["entity"]), []).append(item)
    context = {
        "w": warning,
        "records": evidence_by_record,
        "entity_kind": _entity_kind,
        **_helpers(locale),
    }
    return render(request, "warning/detail.html", context)


@router.get("/models", name="models")
def models_page(request: Request, locale: Locale, _user: CurrentUser) -> Response:
    rows = [{"model": m, "categories": _category_names(m, locale), "subject": m.SUBJECT} for m in MODELS]
    return render(request, "warning/models.html", {"rows": rows, **_helpers(locale)})


@router.get("/models/{model_id}", name="model")
def model_page(request: Request, model_id: str, locale: Locale, _user: CurrentUser) -> Response:
    model = model_or_none(model_id)
    if model is None:
        raise HTTPException(status_code=404)
    # The page is generated from the model's own module (as docs/models/<ID>.md is), so the web page
    # and the file cannot drift apart and an installed package needs no docs folder.
    context = {
        "model": model,
        "categories": _category_names(model, locale),
        "body": to_html(render_markdown(model)),
        **_helpers(locale),
    }
    return render(request, "warning/model.html", context)


def _in_scope(user: User, warning: Warning) -> bool:
    return any(
        warning.region_code.startswith(prefix) and (not industries or warning.industry in industries)
        for prefix, industries in scope_of(user)
    )


def _warning_or_404(db_session: DbSession, warning_id: int, user: User) -> Warning:
    warning = service.get_warning(db_session=db_session, warning_id=warning_id)
    # Out of jurisdiction looks the same as missing: the id says nothing about other regions.
    if warning is None or not _in_scope(user, warning):
        raise HTTPException(status_code=404)
    return warning


# ---- API --------------------------------------------------------------------------------------------


class WarningSummary(BaseModel):
    id: int
    grade: str
    grade_reason_zh: str
    grade_reason_en: str
    status: str
    section_code: str | None
    subject_type: str
    subject_id: str
    region_code: str
    industry: str | None
    model_ids: list[str]
    entities: list[str]
    first_raised_at: datetime
    updated_at: datetime


class WarningEventOut(BaseModel):
    kind: str
    actor: str
    detail: dict[str, Any]
    at: datetime

    model_config = {"from_attributes": True}


class WarningDetail(WarningSummary):
    models: list[dict[str, Any]]
    legal_basis: list[dict[str, str]]
    evidence: list[dict[str, str]]
    explanation_zh: str
    explanation_en: str
    benign: list[dict[str, str]]
    events: list[WarningEventOut]


class WarningList(BaseModel):
    total: int
    limit: int
    offset: int
    by_grade: dict[str, int]
    items: list[WarningSummary]


def _summary_fields(w: Warning) -> dict[str, Any]:
    return {
        "id": w.id,
        "grade": w.grade,
        "grade_reason_zh": w.grade_reason_zh,
        "grade_reason_en": w.grade_reason_en,
        "status": w.status,
        "section_code": w.section_code,
        "subject_type": w.subject_type,
        "subject_id": w.subject_id,
        "region_code": w.region_code,
        "industry": w.industry,
        "model_ids": [str(m["id"]) for m in w.models],
        "entities": list(w.entities),
        "first_raised_at": w.first_raised_at,
        "updated_at": w.updated_at,
    }


Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0)]


@api_router.get("/warnings", response_model=WarningList)
def api_warnings(
    db_session: DbSession,
    user: Reader,
    grade: Grade = None,
    model: ModelId = None,
    region: Region = None,
    industry: Word = None,
    status: Word = None,
    section: Word = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    flt = _filter(user, grade, model, region, industry, status, section)
    items = service.list_warnings(db_session=db_session, flt=flt, limit=limit, offset=offset)
    _record_list_view(db_session, user, items, entities=True)
    return WarningList(
        total=service.count_warnings(db_session=db_session, flt=flt),
        limit=limit,
        offset=offset,
        by_grade=service.count_by_grade(db_session=db_session, flt=flt),
        items=[WarningSummary(**_summary_fields(w)) for w in items],
    )


@api_router.get("/warnings/{warning_id}", response_model=WarningDetail)
def api_warning(warning_id: int, db_session: DbSession, user: Reader) -> Any:
    w = _warning_or_404(db_session, warning_id, user)
    _record_view(db_session, user, w)
    return WarningDetail(
        **_summary_fields(w),
        models=list(w.models),
        legal_basis=list(w.legal_basis),
        evidence=list(w.evidence),
        explanation_zh=w.explanation_zh,
        explanation_en=w.explanation_en,
        benign=list(w.benign),
        events=[WarningEventOut.model_validate(e) for e in w.events],
    )

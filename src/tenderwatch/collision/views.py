"""碰撞比对 page, XLSX export and API."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tenderwatch.audit.personal import personal_fields, record_apart
from tenderwatch.auth.models import User
from tenderwatch.catalog.service import get_catalog
from tenderwatch.collision import service
from tenderwatch.collision.export import COUNT_LABELS, PART_TITLES, workbook
from tenderwatch.collision.presets import PRESETS, Preset, get_preset
from tenderwatch.collision.service import Collision, CollisionIn, Counts, FilterIn, Part, Rows, SideIn
from tenderwatch.errors import UserError
from tenderwatch.graph.flows import open_lake
from tenderwatch.web.deps import Locale, get_database, require_role
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["collision"])
# The lake's correlations name persons (ID numbers) across the province: only the roles that investigate
# warnings (the same as warning readers) may browse them; data stewards, administrators and the trading
# platform may not.
ANALYST_ROLES = ("inspector", "regulator", "reviewer", "model_owner")
Analyst = Annotated[User, Depends(require_role(*ANALYST_ROLES))]

PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OP_LABELS = {"eq": N_("equals"), "prefix": N_("starts with"), "gte": N_("at least"), "lte": N_("at most")}

Keys = Annotated[list[str], Query(max_length=service.MAX_KEYS)]
Text = Annotated[str, Query(max_length=200)]


class FormState(BaseModel):
    """The page's query string: ``lk``/``rk`` are ``dataset.field`` (repeated for composite keys), one
    optional filter per side."""

    preset: str = ""
    lk: list[str] = Field(default_factory=list)
    rk: list[str] = Field(default_factory=list)
    lf: str = ""
    lop: str = "eq"
    lv: str = ""
    rf: str = ""
    rop: str = "eq"
    rv: str = ""
    part: str = "match"

    def query(self, **override: Any) -> str:
        values = self.model_dump() | override
        pairs: list[tuple[str, str]] = []
        for name, value in values.items():
            if isinstance(value, list):
                pairs.extend((name, v) for v in value if v)
            elif value:
                pairs.append((name, str(value)))
        return urlencode(pairs)


def _side(keys: list[str], filter_field: str, op: str, value: str, name_zh: str, name_en: str) -> SideIn:
    keys = [k for k in keys if k]
    datasets = {k.split(".", 1)[0] for k in keys}
    if not keys:
        raise UserError(f"请选择{name_zh}的比对字段", f"choose the {name_en} key field")
    if len(datasets) != 1 or any("." not in k for k in keys):
        raise UserError(
            f"{name_zh}的比对字段须来自同一数据集", f"the {name_en} key fields must come from one dataset"
        )
    dataset = datasets.pop()
    filters = []
    if filter_field and value:
        owner, _, filter_field = filter_field.rpartition(".")
        if owner and owner != dataset:
            raise UserError(
                f"{name_zh}的筛选字段须来自比对的数据集",
                f"the {name_en} filter must be on the compared dataset",
            )
        if op not in OP_LABELS:
            raise UserError(f"未知的筛选方式“{op}”", f"unknown filter operator '{op}'")
        filters.append(FilterIn.model_validate({"field": filter_field, "op": op, "value": value}))
    return SideIn(dataset=dataset, fields=[k.split(".", 1)[1] for k in keys], filters=filters)


def request_from_form(state: FormState) -> CollisionIn:
    return CollisionIn(
        left=_side(state.lk, state.lf, state.lop, state.lv, "左侧", "left"),
        right=_side(state.rk, state.rf, state.rop, state.rv, "右侧", "right"),
    )


def _apply_preset(state: FormState, preset: Preset) -> FormState:
    return state.model_copy(
        update={
            "lk": [f"{preset.left}.{f}" for f in preset.left_fields],
            "rk": [f"{preset.right}.{f}" for f in preset.right_fields],
        }
    )


def _title(preset: Preset | None, request: CollisionIn, locale: str) -> str:
    if preset is not None:
        return preset.name(locale)
    left = f"{request.left.dataset}.{'+'.join(request.left.fields)}"
    right = f"{request.right.dataset}.{'+'.join(request.right.fields)}"
    return f"{left} × {right}"


def _part(value: str) -> Part:
    return value if value in ("match", "left", "right") else "match"  # type: ignore[return-value]


def _subject(collision: Collision) -> str:
    return f"{collision.left.dataset.id}|{collision.right.dataset.id}"


def _spec(collision: Collision) -> dict[str, Any]:
    """What was compared, without the filter values (a filter may be an ID number or a name)."""
    return {
        side: {
            "dataset": s.dataset.id,
            "fields": list(s.fields),
            "filters": [f"{f.field} {f.op}" for f in s.filters],
        }
        for side, s in (("left", collision.left), ("right", collision.right))
    }


def _filter_values(collision: Collision) -> list[str]:
    return [f.value for side in (collision.left, collision.right) for f in side.filters]


def _record_rows(request: Request, user: User, collision: Collision, part: Part, rows: Rows) -> None:
    """One ``view_personal`` when the rows shown include a personal field (ID number, phone, name,
    account); the values shown and the filter values go to the erasable part."""
    dataset = (collision.right if part == "right" else collision.left).dataset
    shown = [c for c in rows.columns if c in personal_fields(dataset)]
    if not shown or not rows.rows:
        return
    at = [rows.columns.index(c) for c in shown]
    values = list(dict.fromkeys(str(r[i]) for r in rows.rows for i in at if r[i] is not None))
    record_apart(
        get_database(request),
        user.username,
        "view_personal",
        "collision",
        _subject(collision),
        details={**_spec(collision), "part": part, "rows": len(rows.rows), "fields": shown},
        personal={"values": values, "filters": _filter_values(collision)},
    )


@router.get("/collision", name="collision")
def collision_page(
    request: Request,
    locale: Locale,
    user: Analyst,
    preset: Text = "",
    lk: Keys = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    rk: Keys = [],  # noqa: B006
    lf: Text = "",
    lop: Text = "eq",
    lv: Text = "",
    rf: Text = "",
    rop: Text = "eq",
    rv: Text = "",
    part: Text = "match",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    state = FormState(preset=preset, lk=lk, rk=rk, lf=lf, lop=lop, lv=lv, rf=rf, rop=rop, rv=rv, part=part)
    chosen = get_preset(preset) if preset else None
    if chosen is not None and not (lk or rk):
        state = _apply_preset(state, chosen)
    context: dict[str, Any] = {
        "state": state,
        "presets": PRESETS,
        "chosen": chosen,
        "catalog": get_catalog(),
        "op_labels": OP_LABELS,
        "count_labels": COUNT_LABELS,
        "part_titles": PART_TITLES,
        "error": None,
        "counts": None,
        "rows": None,
    }
    if not (state.lk or state.rk):
        return render(request, "collision/page.html", context)
    try:
        collision = service.validate(request_from_form(state), get_catalog())
        con = open_lake(get_database(request))
        try:
            counts = service.run_counts(con, collision)
            rows = service.run_rows(con, collision, _part(state.part), PAGE_SIZE, (page - 1) * PAGE_SIZE)
        finally:
            con.close()
    except UserError as exc:
        context["error"] = exc.message(locale)
        return render(request, "collision/page.html", context, status_code=400)
    _record_rows(request, user, collision, _part(state.part), rows)
    total = {
        "match": counts.left_matched_records,
        "left": counts.left_only_records,
        "right": counts.right_only_records,
    }[_part(state.part)]
    dataset = collision.right.dataset if _part(state.part) == "right" else collision.left.dataset
    context.update(
        counts=counts,
        rows=rows,
        headers=_headers(rows, dataset, locale),
        collision=collision,
        part=_part(state.part),
        page=page,
        pages=max(1, math.ceil(total / PAGE_SIZE)),
        total=total,
    )
    name = "collision/_result.html" if is_htmx(request) else "collision/page.html"
    return render(request, name, context)


def _headers(rows: Rows, dataset: Any, locale: str) -> list[str]:
    special = {
        "_batch_id": translate(locale, "Batch"),
        "_matches": translate(locale, "Matching right records"),
    }
    names = set(dataset.field_names)
    return [dataset.field(c).label(locale) if c in names else special.get(c, c) for c in rows.columns]


@router.get("/collision/export.xlsx", name="collision_export")
def collision_export(
    request: Request,
    locale: Locale,
    user: Analyst,
    preset: Text = "",
    lk: Keys = [],  # noqa: B006
    rk: Keys = [],  # noqa: B006
    lf: Text = "",
    lop: Text = "eq",
    lv: Text = "",
    rf: Text = "",
    rop: Text = "eq",
    rv: Text = "",
) -> Response:
    state = FormState(preset=preset, lk=lk, rk=rk, lf=lf, lop=lop, lv=lv, rf=rf, rop=rop, rv=rv)
    chosen = get_preset(preset) if preset else None
    if chosen is not None and not (lk or rk):
        state = _apply_preset(state, chosen)
    body = request_from_form(state)  # a UserError here is shown as the error page, never a traceback
    collision = service.validate(body, get_catalog())
    con = open_lake(get_database(request))
    try:
        counts = service.run_counts(con, collision)
        content = workbook(con, collision, counts, _title(chosen, body, locale), locale)
    finally:
        con.close()
    name = f"collision-{chosen.id if chosen else collision.left.dataset.id + '-' + collision.right.dataset.id}.xlsx"
    # Every export is recorded, personal or not: a file that leaves the system is out of our reach.
    filters = _filter_values(collision)
    record_apart(
        get_database(request),
        user.username,
        "export",
        "collision",
        _subject(collision),
        details={**_spec(collision), "format": "xlsx", "file": name, "matched_values": counts.matched_values},
        personal={"filters": filters} if filters else None,
    )
    return Response(
        content, media_type=XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# ---- API --------------------------------------------------------------------------------------------


class CollisionRequest(CollisionIn):
    part: Part = "match"
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class CountsOut(BaseModel):
    left_records: int
    right_records: int
    left_null_keys: int
    right_null_keys: int
    matched_values: int
    left_only_values: int
    right_only_values: int
    left_matched_records: int
    right_matched_records: int
    left_only_records: int
    right_only_records: int


class CollisionOut(BaseModel):
    counts: CountsOut
    part: Part
    limit: int
    offset: int
    columns: list[str]
    rows: list[dict[str, Any]]


class PresetOut(BaseModel):
    id: str
    zh: str
    en: str
    hint_zh: str
    hint_en: str
    left: SideIn
    right: SideIn


@api_router.get("/collision/presets", response_model=list[PresetOut])
def api_presets(_user: Analyst) -> Any:
    return [
        PresetOut(
            id=p.id,
            zh=p.zh,
            en=p.en,
            hint_zh=p.hint_zh,
            hint_en=p.hint_en,
            left=SideIn(dataset=p.left, fields=list(p.left_fields)),
            right=SideIn(dataset=p.right, fields=list(p.right_fields)),
        )
        for p in PRESETS
    ]


def _json_value(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


@api_router.post("/collision", response_model=CollisionOut)
def api_collision(request: Request, body: CollisionRequest, user: Analyst) -> Any:
    collision = service.validate(body, get_catalog())
    con = open_lake(get_database(request))
    try:
        counts: Counts = service.run_counts(con, collision)
        rows = service.run_rows(con, collision, body.part, body.limit, body.offset)
    finally:
        con.close()
    _record_rows(request, user, collision, body.part, rows)
    return CollisionOut(
        counts=CountsOut(**{name: getattr(counts, name) for name in CountsOut.model_fields}),
        part=body.part,
        limit=body.limit,
        offset=body.offset,
        columns=rows.columns,
        rows=[{c: _json_value(v) for c, v in zip(rows.columns, r, strict=True)} for r in rows.rows],
    )

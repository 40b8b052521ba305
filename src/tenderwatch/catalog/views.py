"""数据共享清单 pages, template downloads and the catalogue API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tenderwatch.catalog.schemas import Catalog, Dataset, Field
from tenderwatch.catalog.service import get_catalog
from tenderwatch.catalog.templates import HeaderLabels, csv_template, xlsx_template
from tenderwatch.web.deps import CurrentUser
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["catalog"])

FREQUENCY_LABELS = {
    "realtime": N_("Real time"),
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
    "monthly": N_("Monthly"),
}
SHARING_LABELS = {
    "push_api": N_("Push API"),
    "file": N_("File exchange"),
    "db_sync": N_("Database sync"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dataset_or_404(catalog: Catalog, dataset_id: str) -> Dataset:
    if not catalog.has(dataset_id):
        raise HTTPException(status_code=404)
    return catalog.dataset(dataset_id)


def _enum_options(field: Field, catalog: Catalog) -> list[dict[str, str]]:
    if field.enum is None:
        return []
    return [{"code": code, "zh": lab.zh, "en": lab.en} for code, lab in catalog.enums[field.enum].items()]


# ---- pages ----------------------------------------------------------------------------------------


@router.get("/catalog", name="catalog")
def catalog_page(request: Request, _user: CurrentUser) -> Response:
    catalog = get_catalog()
    context = {
        "catalog": catalog,
        "frequency_labels": FREQUENCY_LABELS,
        "sharing_labels": SHARING_LABELS,
    }
    return render(request, "catalog/list.html", context)


@router.get("/catalog/{dataset_id}", name="dataset")
def dataset_page(request: Request, dataset_id: str, _user: CurrentUser) -> Response:
    catalog = get_catalog()
    dataset = dataset_or_404(catalog, dataset_id)
    referenced_by = [(d, ref) for d in catalog.datasets for ref in d.references if ref.dataset == dataset.id]
    context = {
        "catalog": catalog,
        "dataset": dataset,
        "unit": catalog.source_units[dataset.source_unit],
        "enum_options": {f.name: _enum_options(f, catalog) for f in dataset.fields},
        "referenced_by": referenced_by,
        "frequency_labels": FREQUENCY_LABELS,
        "sharing_labels": SHARING_LABELS,
    }
    return render(request, "catalog/dataset.html", context)


@router.get("/catalog/{dataset_id}/template.csv", name="template_csv")
def template_csv(
    dataset_id: str, _user: CurrentUser, labels: Annotated[HeaderLabels, Query()] = "name"
) -> Response:
    dataset = dataset_or_404(get_catalog(), dataset_id)
    suffix = "" if labels == "name" else f"-{labels}"
    return Response(
        csv_template(dataset, labels),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{dataset.id}-template{suffix}.csv"'},
    )


@router.get("/catalog/{dataset_id}/template.xlsx", name="template_xlsx")
def template_xlsx(dataset_id: str, _user: CurrentUser) -> Response:
    catalog = get_catalog()
    dataset = dataset_or_404(catalog, dataset_id)
    return Response(
        xlsx_template(dataset, catalog),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{dataset.id}-template.xlsx"'},
    )


# ---- API --------------------------------------------------------------------------------------------


class DatasetSummary(BaseModel):
    id: str
    zh: str
    en: str
    source_unit: str
    source_unit_zh: str
    source_unit_en: str
    frequency: str
    sharing: str
    owner: str
    field_count: int
    key: list[str]


class DatasetDetail(BaseModel):
    dataset: Dataset
    source_unit_zh: str
    source_unit_en: str
    enums: dict[str, list[dict[str, str]]]


def _summary(dataset: Dataset, catalog: Catalog) -> DatasetSummary:
    unit = catalog.source_units[dataset.source_unit]
    return DatasetSummary(
        id=dataset.id,
        zh=dataset.zh,
        en=dataset.en,
        source_unit=dataset.source_unit,
        source_unit_zh=unit.zh,
        source_unit_en=unit.en,
        frequency=dataset.frequency,
        sharing=dataset.sharing,
        owner=dataset.owner,
        field_count=len(dataset.fields),
        key=list(dataset.key),
    )


@api_router.get("/catalog", response_model=list[DatasetSummary])
def api_catalog(_user: CurrentUser) -> Any:
    catalog = get_catalog()
    return [_summary(d, catalog) for d in catalog.datasets]


@api_router.get("/catalog/{dataset_id}", response_model=DatasetDetail)
def api_dataset(dataset_id: str, _user: CurrentUser) -> Any:
    catalog = get_catalog()
    dataset = dataset_or_404(catalog, dataset_id)
    unit = catalog.source_units[dataset.source_unit]
    return DatasetDetail(
        dataset=dataset,
        source_unit_zh=unit.zh,
        source_unit_en=unit.en,
        enums={f.enum: _enum_options(f, catalog) for f in dataset.fields if f.enum is not None},
    )

"""Round trip: synthetic lake → OCDS export → schema check → import into a fresh lake → same data and
the same price-based detection hits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.engine.models import Hit
from tenderwatch.ingest import service
from tenderwatch.lake.views import connect
from tenderwatch.ocds.exchange.export import export_file
from tenderwatch.ocds.exchange.flows import import_file
from tenderwatch.ocds.exchange.validate import release_errors
from tenderwatch.ocds.schema import codelist
from tests.detection.conftest import Province, build_province

MAPPED = {
    "sections": (
        "section_code",
        "tender_project_code",
        "name",
        "industry",
        "region_code",
        "procedure",
        "evaluation_method",
        "estimate_price",
        "control_price",
        "announce_time",
        "bid_deadline",
        "open_time",
    ),
    "bids": ("section_code", "bidder_uscc", "bidder_name", "bid_price", "submit_time", "disqualified"),
    "awards": ("section_code", "winner_uscc", "award_price", "award_date"),
    "contracts": ("contract_id", "section_code", "contractor_uscc", "contract_price", "signed_date"),
    "tender_projects": (
        "tender_project_code",
        "project_code",
        "name",
        "tenderer_uscc",
        "tenderer_name",
        "agency_uscc",
    ),
}
PRICE_MODELS = ["C10", "C11"]


def _records(db: Database, dataset: str) -> set[tuple[Any, ...]]:
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(get_catalog(), batches)
    try:
        columns = ", ".join(MAPPED[dataset])
        return set(con.execute(f"SELECT {columns} FROM {dataset}").fetchall())
    finally:
        con.close()


def _hits(db: Database) -> set[tuple[str, str | None, str, str]]:
    with db.session() as session:
        rows = session.execute(select(Hit.model_id, Hit.section_code, Hit.subject_type, Hit.subject_id)).all()
    return {(m, s, t, i) for m, s, t, i in rows}


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Province, Database, Path]:
    root = tmp_path_factory.mktemp("ocds-trip")
    province = build_province(root / "original")
    out = root / "export" / "releases.jsonl"
    export_file(province.db, out)
    fresh = Database(Settings(data_dir=root / "fresh"))
    fresh.upgrade()
    summary = import_file(fresh, out)
    assert summary.rejected == 0, [r.message_en for r in summary.results]
    return province, fresh, out


def test_every_exported_release_matches_the_schema(trip: tuple[Province, Database, Path]) -> None:
    province, _, out = trip
    releases = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(releases) == len(_records(province.db, "sections")) > 0
    assert all(release_errors(r) == [] for r in releases)
    assert all(r["tag"] == ["compiled"] and r["id"] == f"{r['ocid']}-{r['date']}" for r in releases)
    assert any(r.get("bids", {}).get("details") for r in releases)


@pytest.mark.parametrize("dataset", ["sections", "bids", "awards", "contracts", "tender_projects"])
def test_reimported_records_equal_the_originals(trip: tuple[Province, Database, Path], dataset: str) -> None:
    province, fresh, _ = trip
    original = _records(province.db, dataset)
    assert original and _records(fresh, dataset) == original


def test_price_models_raise_the_same_hits(trip: tuple[Province, Database, Path]) -> None:
    province, fresh, _ = trip
    detect(province.db, PRICE_MODELS)
    detect(fresh, PRICE_MODELS)
    expected = _hits(province.db)
    assert {h[0] for h in expected} == set(PRICE_MODELS), "the tiny province should trip both models"
    assert _hits(fresh) == expected


def test_importing_the_same_file_again_adds_nothing(trip: tuple[Province, Database, Path]) -> None:
    _, fresh, out = trip
    again = import_file(fresh, out)
    assert {r.status for r in again.results} == {"duplicate"}


def test_exported_codes_come_from_the_vendored_codelists(trip: tuple[Province, Database, Path]) -> None:
    _, _, out = trip
    releases = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    method, criteria = codelist("method.csv"), codelist("awardCriteria.csv")
    category, roles = codelist("procurementCategory.csv"), codelist("partyRole.csv")
    bid_status = codelist("bidStatus.csv")
    for r in releases:
        tender = r["tender"]
        assert tender["procurementMethod"] in method and tender["awardCriteria"] in criteria
        assert tender["mainProcurementCategory"] in category
        assert all(role in roles for p in r["parties"] for role in p["roles"])
        assert all(b["status"] in bid_status for b in r.get("bids", {}).get("details", []))

"""C30's price-screen rule: off by default; with a CV ceiling it flags a bunched field whose lowest bid
stands apart (low CV, high RD), and leaves a spread-out field and a too-small field alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.detection.c30_abnormal_low_no_competition import AbnormalLowNoCompetition
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.engine.runner import run_model
from tenderwatch.engine.spark import SparkBackend, transpile
from tenderwatch.screens.compute import section_screens
from tests.detection.conftest import Province, lake_from_csv
from tests.detection.fixture_records import bid, csv, project, section, uscc

A, B, C, D, E = (uscc(i) for i in range(1, 6))
BUNCHED = ["4600000.00", "4700000.00", "4702000.00", "4704000.00", "4706000.00"]
SPREAD = ["4000000.00", "4400000.00", "4800000.00", "5200000.00"]
SMALL = ["4600000.00", "4700000.00", "4702000.00"]


def _lake(tmp_path: Path) -> DuckBackend:
    bids = [bid("S1", who, price) for who, price in zip((A, B, C, D, E), BUNCHED, strict=True)]
    bids += [bid("S2", who, price) for who, price in zip((A, B, C, D), SPREAD, strict=True)]
    bids += [bid("S3", who, price) for who, price in zip((A, B, C), SMALL, strict=True)]
    return lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", [section(code, "P1") for code in ("S1", "S2", "S3")]),
            "bids": csv("bids", bids),
            "awards": csv("awards", []),
        },
    )


def _screen_hits(lake: DuckBackend, params: dict[str, object]) -> dict[str, list[str]]:
    outcomes = run_model(lake, AbnormalLowNoCompetition, ModelConfig(params=params))
    return {h.subject_id: h.entities for o in outcomes for h in o.hits if "price_screens" in h.rules}


def test_screen_rule_is_off_by_default(tmp_path: Path) -> None:
    assert _screen_hits(_lake(tmp_path), {}) == {}


def test_screen_rule_flags_the_bunched_field_with_an_outlying_low_bid(tmp_path: Path) -> None:
    bunched = section_screens([float(p) for p in BUNCHED])
    spread = section_screens([float(p) for p in SPREAD])
    # The fixture means what it says: S1 is bunched with a gap, S2 is not bunched.
    assert bunched["cv"] < 0.03 < spread["cv"] and bunched["rd"] > 1.0
    hits = _screen_hits(_lake(tmp_path), {"screen_cv_max": 0.03, "screen_rd_min": 1.0, "screen_min_bids": 4})
    assert hits == {"S1": sorted([A, B, C, D, E])}


def test_screen_rule_evidence_carries_the_screens(tmp_path: Path) -> None:
    outcomes = run_model(
        _lake(tmp_path), AbnormalLowNoCompetition, ModelConfig(params={"screen_cv_max": 0.03})
    )
    hit = next(h for o in outcomes for h in o.hits if h.subject_id == "S1")
    expected = section_screens([float(p) for p in BUNCHED])
    values = {e.value for e in hit.evidence}
    assert values == {f"CV={expected['cv']:.4f} RD={expected['rd']:.2f}"}
    assert "RD=" in AbnormalLowNoCompetition.explain(hit, "en")


def test_rendered_query_transpiles_to_spark() -> None:
    sql = AbnormalLowNoCompetition.render_sql(AbnormalLowNoCompetition.params({"screen_cv_max": 0.05}))
    assert "price_screens" in transpile(sql)


@pytest.mark.slow
def test_screen_rule_gives_identical_hits_on_duckdb_and_spark(tiny: Province, spark: Any) -> None:
    config = ModelConfig(params={"screen_cv_max": 0.03})
    duck = [h for o in run_model(tiny.duck(), AbnormalLowNoCompetition, config) for h in o.hits]
    assert any("price_screens" in h.rules for h in duck), "compare on a run where the rule fired"
    spark_lake = SparkBackend(spark, get_catalog(), tiny.batches)
    assert [h for o in run_model(spark_lake, AbnormalLowNoCompetition, config) for h in o.hits] == duck

"""C29: three works sections of one tenderer just under ¥4M within a month, let by invitation or
negotiation, flag the tenderer; openly tendered parts, other tenderers and sections far apart do not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tenderwatch.detection.c29_threshold_splitting import ThresholdSplitting
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import csv, project, section, uscc

OWNER, OTHER, THIRD = uscc(1, authority="1"), uscc(2, authority="1"), uscc(3, authority="1")


def test_split_parts_below_the_threshold(tmp_path: Path) -> None:
    projects = [
        project("P1", OWNER, project_code="2403-330102-04-01-000001"),
        project("P2", OWNER, project_code="2403-330102-04-01-000001"),
        project("P3", OWNER, project_code="2403-330102-04-01-000001"),
        project("P4", OTHER),  # another tenderer, same days and prices
        project("P5", THIRD),  # one tenderer, near-threshold sections months apart, no shared project
    ]
    sections = [
        section("S1", "P1", datetime(2024, 3, 1, 9), control_price="3880000.00", procedure="invited"),
        section("S2", "P2", datetime(2024, 3, 10, 9), control_price="3950000.00", procedure="negotiation"),
        # Same investment project, tendered openly: counts towards the group but is not flagged.
        section("S3", "P3", datetime(2024, 9, 1, 9), control_price="3700000.00", procedure="open"),
        section("S4", "P4", datetime(2024, 3, 2, 9), control_price="3880000.00", procedure="invited"),
        section("S5", "P4", datetime(2024, 3, 3, 9), control_price="4000000.00", procedure="invited"),
        section("S6", "P5", datetime(2024, 1, 1, 9), control_price="3900000.00", procedure="invited"),
        section("S7", "P5", datetime(2024, 4, 1, 9), control_price="3900000.00", procedure="invited"),
        section("S8", "P5", datetime(2024, 7, 1, 9), control_price="3900000.00", procedure="invited"),
        # Goods (procurement) have another threshold.
        section(
            "S9",
            "P2",
            datetime(2024, 3, 5, 9),
            control_price="3900000.00",
            procedure="invited",
            industry="procurement",
        ),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", projects),
            "sections": csv("sections", sections),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, ThresholdSplitting, ModelConfig())[0].hits}
    assert {k: (h.entities, h.severity) for k, h in hits.items()} == {
        "S1": ([OWNER], "orange"),
        "S2": ([OWNER], "orange"),
    }
    # S1 links to S2 and S3 through the investment project (S3 is six months later).
    assert sorted(e.record_key for e in hits["S1"].evidence) == ["S1", "S2", "S3"]
    assert next(e.value for e in hits["S1"].evidence if e.record_key == "S3").startswith("3700000.00 open")
    assert "化整为零" in ThresholdSplitting.explain(hits["S1"], "zh")

"""C31 short procedure: periods below the statutory minimum flag the tenderer; lawful periods, non-tender
procurement methods and missing dates do not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tenderwatch.detection.c31_short_procedure import ShortProcedure
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import csv, project, section, uscc

DL = datetime(2024, 3, 1, 9, 0)


def test_short_periods_flag_the_tenderer_and_lawful_ones_do_not(tmp_path: Path) -> None:
    owner, other = uscc(1, authority="1"), uscc(2, authority="1")
    sections = [
        # 12 days from announcement to deadline (the announcement in the morning, the deadline at 9:00).
        section(
            "S1",
            "P1",
            DL,
            announce_time="2024-02-18 11:00:00",
            doc_issue_start="2024-02-18 11:00:00",
            doc_issue_end="2024-02-24 17:00:00",
        ),
        section("S2", "P1", DL, doc_issue_end="2024-02-08 17:00:00"),  # documents on sale 3 days
        section("S3", "P1", DL, candidate_pub_start="2024-03-06", candidate_pub_end="2024-03-07"),
        section("S4", "P2", DL),  # lawful
        # Request for quotations in government procurement: short periods are lawful.
        section(
            "S5",
            "P2",
            DL,
            industry="procurement",
            procedure="inquiry",
            announce_time="2024-02-26 10:00:00",
            doc_issue_start="2024-02-26 10:00:00",
            doc_issue_end="2024-02-27 10:00:00",
        ),
        # Exactly 20 days: lawful. Missing sale and publication dates never match.
        section(
            "S6",
            "P2",
            DL,
            announce_time="2024-02-10 16:00:00",
            doc_issue_start=None,
            doc_issue_end=None,
            candidate_pub_start="-",
            candidate_pub_end=None,
        ),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", owner), project("P2", other)]),
            "sections": csv("sections", sections),
        },
    )
    hits = run_model(lake, ShortProcedure, ModelConfig())[0].hits
    assert {h.subject_id: h.entities for h in hits} == {"S1": [owner], "S2": [owner], "S3": [owner]}
    by_section = {h.subject_id: h for h in hits}
    assert all(h.severity == "orange" for h in hits)
    assert [(e.rule, e.field, e.value) for e in by_section["S1"].evidence] == [
        ("short_bid_period", "announce_time/bid_deadline", "12 < 20")
    ]
    assert [(e.rule, e.value) for e in by_section["S2"].evidence] == [("short_doc_sale", "3 < 5")]
    assert [(e.rule, e.value) for e in by_section["S3"].evidence] == [("short_publicity", "1 < 3")]
    assert "12" in ShortProcedure.explain(by_section["S1"], "zh")

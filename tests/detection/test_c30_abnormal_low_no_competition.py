"""C30 abnormally low bid or no competition: a winner far below the field, a field at the ceiling, an
award at the estimate and a lone bid are flagged; round discounts, disqualified low bids, the C32
sole survivor and missing estimates are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c30_abnormal_low_no_competition import AbnormalLowNoCompetition
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

A, B, C, D = (uscc(i) for i in range(1, 5))
OFF = {"disqualified": "true", "disqualify_reason": "资格审查资料不全"}


def test_abnormal_low_and_no_competition(tmp_path: Path) -> None:
    sections = [
        section("S1", "P1"),  # the winner at 3.0 m against a field at 4.5–4.7 m
        section("S2", "P1"),  # all three bids within 1 % of the 5 m control price
        section("S3", "P1"),  # round discounts 95 / 96 / 97 %: competition, if lazy
        section("S4", "P1"),  # one bid received
        section("S5", "P1"),  # all but one disqualified (C32), a disqualified bid far below the field
        section("S6", "P1", estimate_price="4900000.00"),  # award at or above the estimate
        section("S7", "P1"),  # no estimate: nothing to compare
    ]
    bids = [
        bid("S1", A, "3000000.00", rank="1"),
        bid("S1", B, "4500000.00"),
        bid("S1", C, "4600000.00"),
        bid("S1", D, "4700000.00"),
        bid("S2", A, "4960000.00"),
        bid("S2", B, "4980000.00"),
        bid("S2", C, "4990000.00"),
        bid("S3", A, "4750000.00"),
        bid("S3", B, "4800000.00"),
        bid("S3", C, "4850000.00"),
        bid("S4", A, "4700000.00"),
        bid("S5", A, "4700000.00"),
        bid("S5", B, "2000000.00", **OFF),
        bid("S5", C, "4600000.00", **OFF),
        bid("S6", A, "4950000.00"),
        bid("S6", B, "4600000.00"),
        bid("S6", C, "4700000.00"),
        bid("S7", A, "4600000.00"),
        bid("S7", B, "4700000.00"),
    ]
    awards = [
        award("S1", A, "3000000.00"),
        award("S2", A, "4960000.00"),
        award("S4", A, "4700000.00"),
        award("S5", A, "4700000.00"),
        award("S6", A, "4950000.00"),
        award("S7", A, "4600000.00"),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, AbnormalLowNoCompetition, ModelConfig())[0].hits}
    assert {k: (h.entities, h.rules, h.severity) for k, h in hits.items()} == {
        "S1": ([A], ["abnormally_low"], "orange"),
        "S2": (sorted([A, B, C]), ["no_price_competition"], "orange"),
        "S4": ([A], ["single_bid"], "yellow"),
        "S6": ([A], ["award_at_or_above_estimate"], "orange"),
    }
    assert [(e.dataset, e.field, e.value) for e in hits["S1"].evidence] == [
        ("bids", "bid_price", "3000000.00 < 0.8 x 4600000.00")
    ]
    assert [(e.dataset, e.field, e.value) for e in hits["S6"].evidence] == [
        ("awards", "award_price", "4950000.00 >= 4900000.00")
    ]
    assert "3000000.00" in AbnormalLowNoCompetition.explain(hits["S1"], "zh")
    assert "control price" in AbnormalLowNoCompetition.explain(hits["S2"], "en")

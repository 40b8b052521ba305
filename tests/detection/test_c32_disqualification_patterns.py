"""C32 disqualification patterns: the sole survivor of mass disqualification and the disqualified lowest
bid under a price-only method are flagged; comprehensive scoring and a lone formal error are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c32_disqualification_patterns import DisqualificationPatterns
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

A, B, C, D = (uscc(i) for i in range(1, 5))


def _off(code: str, bidder: str, price: str, reason: str = "未按要求签章") -> dict[str, str]:
    return bid(code, bidder, price, disqualified="true", disqualify_reason=reason)


def test_disqualification_patterns(tmp_path: Path) -> None:
    sections = [
        section("S1", "P1"),  # all but one disqualified
        section("S2", "P1", evaluation_method="lowest_price"),  # lowest disqualified, price only
        section("S3", "P1"),  # lowest disqualified, comprehensive scoring: not R036
        section("S4", "P1", evaluation_method="reasonable_low"),  # two bidders, one formal error
    ]
    bids = [
        bid("S1", A, "4600000.00"),
        _off("S1", B, "4500000.00", "资格审查资料不全"),
        _off("S1", C, "4550000.00", "资格审查资料不全"),
        _off("S1", D, "4700000.00", "资格审查资料不全"),
        _off("S2", A, "4000000.00"),
        bid("S2", B, "4500000.00"),
        bid("S2", C, "4550000.00"),
        _off("S3", A, "4000000.00"),
        bid("S3", B, "4500000.00"),
        bid("S3", C, "4550000.00"),
        bid("S4", A, "4100000.00"),
        _off("S4", B, "4500000.00"),
    ]
    # The empty flag of C's bid in S2 is a null, read as "not disqualified".
    bids[6]["disqualified"] = None
    awards = [award("S1", A), award("S2", B), award("S3", B), award("S4", A)]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, DisqualificationPatterns, ModelConfig())[0].hits}
    assert {k: (h.entities, h.rules, h.severity) for k, h in hits.items()} == {
        "S1": ([A], ["all_but_one_disqualified"], "orange"),
        "S2": ([A], ["lowest_disqualified"], "orange"),
    }
    assert sorted(e.record_key for e in hits["S1"].evidence if e.field == "disqualify_reason") == sorted(
        f"S1|{x}" for x in (B, C, D)
    )
    assert {(e.field, e.value) for e in hits["S2"].evidence} == {
        ("bid_price", "4000000.00"),
        ("disqualify_reason", "未按要求签章"),
    }
    assert "3" in DisqualificationPatterns.explain(hits["S1"], "zh")

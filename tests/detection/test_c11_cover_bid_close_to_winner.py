"""C11 cover bid close to the winner (R024): a runner-up a hair above the winner, against a market of
ordinary gaps, is flagged; a winner that is not the lowest, a section without an award and disqualified
bids are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c11_cover_bid_close_to_winner import CoverBidCloseToWinner
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

A, B, C, D = (uscc(i) for i in range(1, 5))
# Gaps between winner and runner-up in ordinary sections S1–S8: 1 % … 5 %.
GAPS = (
    "4040000.00",
    "4060000.00",
    "4080000.00",
    "4100000.00",
    "4120000.00",
    "4140000.00",
    "4160000.00",
    "4200000.00",
)


def test_cover_bid_close_to_winner(tmp_path: Path) -> None:
    sections = [section(f"S{i}", "P1") for i in range(1, 13)]
    bids = []
    awards = []
    for i, second in enumerate(GAPS, start=1):
        bids += [bid(f"S{i}", A, "4000000.00"), bid(f"S{i}", B, second), bid(f"S{i}", C, "4500000.00")]
        awards.append(award(f"S{i}", A, "4000000.00"))
    # S9: the cover bid, 0.02 % above the winner; a disqualified bid lower still does not count.
    bids += [
        bid("S9", A, "4000000.00"),
        bid("S9", B, "4000800.00"),
        bid("S9", C, "4300000.00"),
        bid("S9", D, "3990000.00", disqualified="true", disqualify_reason="未按要求签章"),
    ]
    awards.append(award("S9", A, "4000000.00"))
    # S10: the same closeness, but the winner is not the lowest bid (R024 does not apply).
    bids += [bid("S10", A, "4000000.00"), bid("S10", B, "4000800.00"), bid("S10", C, "4300000.00")]
    awards.append(award("S10", B, "4000800.00"))
    # S11: the same closeness, no award yet.
    bids += [bid("S11", A, "4000000.00"), bid("S11", B, "4000800.00")]
    # S12: a tie at the lowest price is C10's business, not a gap.
    bids += [bid("S12", A, "4000000.00"), bid("S12", B, "4000000.00")]
    awards.append(award("S12", A, "4000000.00"))
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    config = ModelConfig(params={"min_sections": 4})
    hits = run_model(lake, CoverBidCloseToWinner, config)[0].hits
    assert [(h.subject_id, h.entities, h.rules, h.severity) for h in hits] == [
        ("S9", sorted([A, B]), ["cover", "winner"], "yellow")
    ]
    values = {e.rule: e.value for e in hits[0].evidence}
    assert values["winner"].startswith("4000000.00 (gap 0.020% < ")
    assert values["cover"].startswith("4000800.00 (gap 0.020% < ")
    assert B in CoverBidCloseToWinner.explain(hits[0], "zh")
    # Too few sections for quartiles: nothing, unless a fixed threshold is given.
    assert not run_model(lake, CoverBidCloseToWinner, ModelConfig())[0].hits
    fixed = run_model(lake, CoverBidCloseToWinner, ModelConfig(params={"threshold": 0.012}))[0].hits
    assert [h.subject_id for h in fixed] == ["S1", "S9"]

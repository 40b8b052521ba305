"""C11 cover bid close to the winner (R024 with recurrence): the same pair a hair apart in two sections,
against a market of ordinary gaps, is flagged; a single hair-thin gap only when asked (plain R024); a
winner that is not the lowest, a section without an award and disqualified bids never."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c11_cover_bid_close_to_winner import CoverBidCloseToWinner
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

A, B, C, D = (uscc(i) for i in range(1, 5))
# Gaps between winner and runner-up in 24 ordinary sections (O1–O24): 1.0 % … 5.6 %.
GAPS = tuple(f"{4_040_000 + 8_000 * i}.00" for i in range(24))


def test_cover_bid_close_to_winner(tmp_path: Path) -> None:
    sections = [section(f"S{i}", "P1") for i in range(9, 15)] + [section(f"O{i}", "P1") for i in range(1, 25)]
    bids = []
    awards = []
    for i, second in enumerate(GAPS, start=1):
        bids += [bid(f"O{i}", A, "4000000.00"), bid(f"O{i}", B, second), bid(f"O{i}", C, "4500000.00")]
        awards.append(award(f"O{i}", A, "4000000.00"))
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
    # S13: the same pair again, roles swapped: B wins, A trails by 0.015 %.
    bids += [bid("S13", B, "4000000.00"), bid("S13", A, "4000600.00"), bid("S13", C, "4400000.00")]
    awards.append(award("S13", B, "4000000.00"))
    # S14: another pair a hair apart, once only: chance, unless plain R024 is asked for.
    bids += [bid("S14", C, "5000000.00"), bid("S14", D, "5000500.00")]
    awards.append(award("S14", C, "5000000.00"))
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
        ("S13", sorted([A, B]), ["cover", "winner"], "orange"),
        ("S9", sorted([A, B]), ["cover", "winner"], "orange"),
    ]
    values = {e.rule: e.value for e in next(h for h in hits if h.subject_id == "S9").evidence}
    assert values["winner"].startswith("4000000.00 (gap 0.020% < ")
    assert values["cover"].startswith("4000800.00 (gap 0.020% < ") and values["cover"].endswith("; 2x)")
    assert B in CoverBidCloseToWinner.explain(hits[0], "zh")
    # Plain R024: the single close gap of C and D counts too, as a weak (yellow) signal.
    plain = run_model(lake, CoverBidCloseToWinner, ModelConfig(params={"min_sections": 4, "min_repeats": 1}))
    assert [(h.subject_id, h.severity) for h in plain[0].hits] == [
        ("S13", "orange"),
        ("S14", "yellow"),
        ("S9", "orange"),
    ]
    # Too few sections for quartiles: nothing, unless a fixed threshold is given.
    assert not run_model(lake, CoverBidCloseToWinner, ModelConfig(params={"min_sections": 40}))[0].hits
    fixed_config = ModelConfig(params={"min_sections": 40, "threshold": 0.0105})
    fixed = run_model(lake, CoverBidCloseToWinner, fixed_config)[0].hits
    assert [h.subject_id for h in fixed] == ["O1", "S13", "S9"]

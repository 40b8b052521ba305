"""C16: a firm with five bids, no win and always ranked last is an accompany bidder; an honest loser
ranked mid-field, a firm with a win and one with four bids are not; unranked bids never count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c16_accompany_bidder import AccompanyBidder
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

COVER, LOSER, SHORT, WINNER, OTHER = (uscc(i) for i in range(1, 6))


def test_never_wins_and_always_last(tmp_path: Path) -> None:
    sections: list[dict[str, Any]] = []
    bids: list[dict[str, Any]] = []
    awards: list[dict[str, Any]] = []
    for i in range(5):
        code = f"S{i}"
        sections.append(section(code, "P1"))
        # WINNER 1st, OTHER 2nd, LOSER 3rd, COVER last (5th); SHORT 4th in the first four sections only.
        order = [WINNER, OTHER, LOSER] + ([SHORT] if i < 4 else []) + [COVER]
        bids.extend(bid(code, c, rank=r + 1) for r, c in enumerate(order))
        awards.append(award(code, WINNER))
    # A sixth bid of COVER was disqualified (no rank): it counts as a bid, not in the mean rank.
    sections.append(section("S9", "P1"))
    bids += [bid("S9", OTHER, rank=1), bid("S9", COVER, rank=None, disqualified="true")]
    awards.append(award("S9", OTHER))
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    hits = run_model(lake, AccompanyBidder, ModelConfig())[0].hits
    assert {h.subject_id for h in hits} == {COVER}
    assert sorted(h.section_code or "" for h in hits) == ["S0", "S1", "S2", "S3", "S4", "S9"]
    by_section = {h.section_code: h for h in hits}
    assert by_section["S0"].entities == [WINNER] and by_section["S9"].entities == [OTHER]
    assert all(h.severity == "yellow" for h in hits)
    # Mean relative rank: four sections 4/4 = 1 and one 3/3 = 1 → 1.0.
    assert by_section["S0"].evidence[0].value == "5/5; firm: 6 bids, 0 wins, mean rank 1.0"
    assert "6 bids" in AccompanyBidder.explain(by_section["S0"], "en")

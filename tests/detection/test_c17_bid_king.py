"""C17: a firm winning 4 of 4 five-bidder sections of one tenderer while losing elsewhere is a bid king; a strong
firm that wins most of its bids everywhere is not, and three wins are not enough."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c17_bid_king import BidKing
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

KING, STRONG, THIRD, RIVAL = (uscc(i) for i in range(1, 5))
FIELD = [uscc(i) for i in range(5, 8)]  # three more rivals: five bidders, a fair share of 1/5
T1, T2, T4 = (uscc(10 + i, authority="1") for i in range(3))


def test_bid_king_against_the_firms_own_win_rate(tmp_path: Path) -> None:
    projects: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    bids: list[dict[str, Any]] = []
    awards: list[dict[str, Any]] = []

    def sec(code: str, tenderer: str, bidders: list[str], winner: str, agency: Any = None) -> None:
        projects.append(project(f"P{code}", tenderer, agency_uscc=agency))
        sections.append(section(code, f"P{code}"))
        bids.extend(bid(code, b) for b in bidders)
        awards.append(award(code, winner))

    for i in range(4):  # the king wins all four five-bidder sections of T1 …
        sec(f"K{i}", T1, [KING, RIVAL, *FIELD], KING)
    for i in range(8):  # … and loses its eight other bids, each with another tenderer
        sec(f"L{i}", uscc(20 + i, authority="1"), [KING, RIVAL], RIVAL)
    for i in range(4):  # the strong firm wins all four of T2's sections, and most of everything else
        sec(f"S{i}", T2, [STRONG, RIVAL], STRONG)
    for i in range(8):
        sec(f"M{i}", T4, [STRONG, RIVAL], STRONG if i < 7 else RIVAL)
    for i in range(3):  # three wins with one tenderer are not enough; no agency ("-") never matches
        sec(f"N{i}", T4, [THIRD, RIVAL], THIRD, agency="-")
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", projects),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    hits = run_model(lake, BidKing, ModelConfig())[0].hits
    assert {h.subject_id for h in hits} == {KING}
    assert sorted(h.section_code or "" for h in hits) == ["K0", "K1", "K2", "K3"]
    assert all(h.entities == [T1] and h.severity == "orange" and h.subject_type == "company" for h in hits)
    summary = next(e for e in hits[0].evidence if e.dataset == "tender_projects")
    # Elsewhere 0 wins against 8 × 1/2 fair-share wins: strength (0 + 5) / (4 + 5) = 5/9; its chance per
    # bid with T1 is 5/9 × 1/5 = 0.111, and P = 0.111^4 = 0.000152. The strong firm: strength
    # (7 + 5) / (4 + 5) = 4/3, chance 2/3 per two-bidder section, P = (2/3)^4 = 0.2: not flagged.
    assert summary.value == "4/4 wins; expected rate 0.111; P=0.000152"
    assert "4/4" in BidKing.explain(hits[0], "en")

"""C15: three firms that meet in six sections of a large market and win them in turn are a rotation
group; a city's four water firms that meet in every water tender are not (their market explains the
meetings), nor is a fixed trio where one firm takes almost every win (no rotation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c15_cobidding_rotation import CobiddingRotation
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import award, bid, csv, project, section, uscc

A, B, C = (uscc(i) for i in range(1, 4))  # the rotation group
D, E, F = (uscc(i) for i in range(4, 7))  # a fixed trio where D nearly always wins
WATER = [uscc(i, region="331102") for i in range(10, 14)]  # Lishui's water specialists
OUT = [uscc(i) for i in range(20, 32)]  # honest local competitors
TENDERER = uscc(50, authority="1")


def test_rotation_group_against_its_market_and_strength(tmp_path: Path) -> None:
    projects: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    bids: list[dict[str, Any]] = []
    awards: list[dict[str, Any]] = []

    def sec(code: str, bidders: list[str], winner: str | None, where: dict[str, str] | None = None) -> None:
        projects.append(project(f"P{code}", TENDERER))
        sections.append(section(code, f"P{code}") | (where or {}))
        bids.extend(bid(code, b) for b in bidders)
        if winner is not None:
            awards.append(award(code, winner))

    # A busy building market in Hangzhou: 30 sections of four honest bidders, no trio meeting often.
    for i in range(30):
        field = [OUT[(i + k) % 12] for k in (0, 1, 3, 7)]
        sec(f"H{i:02d}", field, field[i % 4])
    for i, member in enumerate((A, B, C, D, E, F)):  # each firm also bids (and loses) on its own
        for j in range(4):
            rivals = [OUT[(i + j) % 12], OUT[(i + j + 5) % 12]]
            sec(f"X{i}{j}", [member, *rivals], rivals[0])
    for i in range(6):  # the group meets six times, with two outsiders, and wins in turn
        sec(f"G{i}", [A, B, C, OUT[i], OUT[i + 6]], (A, B, C)[i % 3])
    sec("G6", [A, B, C, OUT[1]], None)  # no award yet: not a meeting that can be judged
    for i in range(8):  # D, E and F meet eight times, D wins six: a fixed trio but no rotation
        sec(f"F{i}", [D, E, F, OUT[i]], E if i == 6 else F if i == 7 else D)
    for i in range(6):  # four water firms in every water tender of the city, wins spread around
        sec(f"W{i}", WATER, WATER[i % 4], {"industry": "water", "region_code": "331102"})
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", projects),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
            "awards": csv("awards", awards),
        },
    )
    hits = run_model(lake, CobiddingRotation, ModelConfig())[0].hits
    assert {h.subject_id for h in hits} == {A, B, C}
    # Without the rotation score D, E and F would be a group; the water firms never are, even with the
    # lift and the significance relaxed: their market and their own win rates explain meetings and wins.
    loose = ModelConfig(params={"min_lift": 1.0, "min_rotation": 0.0, "alpha": 0.5})
    subjects = {h.subject_id for h in run_model(lake, CobiddingRotation, loose)[0].hits}
    assert {D, E, F} <= subjects and not subjects & set(WATER)
    for member in (A, B, C):
        mine = [h for h in hits if h.subject_id == member]
        assert sorted(h.section_code or "" for h in mine) == [f"G{i}" for i in range(6)]
    assert all(h.severity == "orange" and h.subject_type == "company" for h in hits)
    assert all({A, B, C} - {h.subject_id} <= set(h.entities) for h in hits)
    first = next(h for h in hits if h.subject_id == A and h.section_code == "G1")
    winner = next(e for e in first.evidence if e.dataset == "awards")
    assert (winner.field, winner.value) == ("winner_uscc", B)
    summary = next(e for e in first.evidence if e.field == "group").value
    assert summary.startswith("6 meetings (markets expect ")
    trio = " ".join(f"{m}:2" for m in sorted((A, B, C)))
    assert "group won 6 (strength expects " in summary and f"wins {trio}; rotation 1.0;" in summary
    assert "P(wins)=3.56e-3" in summary and "of 6 candidate groups" in summary
    assert "6 meetings" in CobiddingRotation.explain(first, "en")
    assert "共同投标 6 次" in CobiddingRotation.explain(first, "zh")
    assert B in CobiddingRotation.explain(first, "zh")


def test_thresholds_are_parameters(tmp_path: Path) -> None:
    """A group that meets only three times is below ``min_meetings`` (4) and never reported."""
    rows = [bid(f"S{i}", b) for i in range(3) for b in (A, B, C)]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project(f"P{i}", TENDERER) for i in range(3)]),
            "sections": csv("sections", [section(f"S{i}", f"P{i}") for i in range(3)]),
            "bids": csv("bids", rows),
            "awards": csv("awards", [award(f"S{i}", (A, B, C)[i]) for i in range(3)]),
        },
    )
    assert run_model(lake, CobiddingRotation, ModelConfig())[0].hits == []

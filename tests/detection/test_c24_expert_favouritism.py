"""C24 expert favouritism: one expert lifting one bidder and not the rivals is flagged (only when that
bidder won); a lenient expert, a consistent panel and price-only sections are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c24_expert_favouritism import ExpertFavouritism
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.expert_fixture import BIDDERS, EXPERTS, panel_lake

BASE = [30.0, 35.0, 25.0, 28.0]


def test_expert_favouritism(tmp_path: Path) -> None:
    panels = {
        # S1: expert 0 gives bidder 2 +15 and the rivals 2 less than the panel; bidder 2 won.
        "S1": [[28.0, 33.0, 40.0, 26.0], BASE, [31.0, 34.0, 25.5, 28.5], [29.5, 35.5, 24.5, 27.5]],
        # S2: expert 0 is lenient with everybody (+10 on all): no favourite.
        "S2": [[40.0, 45.0, 35.0, 38.0], BASE, BASE, BASE],
        # S3: a consistent panel.
        "S3": [BASE, BASE, [31.0, 34.0, 25.5, 28.5], BASE],
        # S4: price-only method, no technical scores.
        "S4": [[0.0] * 4] * 4,
    }
    lake = panel_lake(tmp_path, panels, winners={"S1": 2})
    hits = run_model(lake, ExpertFavouritism, ModelConfig())[0].hits
    assert [(h.subject_id, h.entities, h.rules, h.severity) for h in hits] == [
        ("S1", [EXPERTS[0]], ["favouring_expert"], "red")
    ]
    assert {e.record_key for e in hits[0].evidence} == {f"S1|{EXPERTS[0]}|{BIDDERS[2]}"}
    assert (
        hits[0].evidence[0].value
        == f"bidder {BIDDERS[2]}: 40.00 vs others' median 25.00 (+15.00); rivals -2.00"
    )
    assert EXPERTS[0] in ExpertFavouritism.explain(hits[0], "zh")


def test_not_flagged_when_the_favourite_lost(tmp_path: Path) -> None:
    # The same lift for bidder 2, but bidder 1 won: the favour decided nothing.
    panels = {"S1": [[28.0, 33.0, 40.0, 26.0], BASE, BASE, BASE]}
    lake = panel_lake(tmp_path, panels, winners={"S1": 1})
    assert run_model(lake, ExpertFavouritism, ModelConfig())[0].hits == []
    # ... and flagged once the favourite is the winner.
    lake = panel_lake(tmp_path / "won", panels, winners={"S1": 2})
    hits = run_model(lake, ExpertFavouritism, ModelConfig())[0].hits
    assert [(h.severity, h.entities) for h in hits] == [("red", [EXPERTS[0]])]


def test_an_earth_score_elsewhere_does_not_make_a_favourite(tmp_path: Path) -> None:
    # Bidder 2 got a 天地分 "earth" score (2) from expert 4 (C25's case). Against the others' mean
    # expert 0's 38 would look +14.75 above the panel; against their median (30) it is +8, under a
    # quarter of the section's top score: the rest of the panel agrees with expert 0 well enough.
    base = [30.0, 35.0, 30.0, 28.0]
    panels = {
        "S1": [
            [29.0, 34.0, 38.0, 27.0],
            base,
            [31.0, 34.0, 30.0, 28.5],
            [29.5, 35.5, 31.0, 27.5],
            [30.0, 35.0, 2.0, 28.0],
        ]
    }
    lake = panel_lake(tmp_path, panels, winners={"S1": 1})
    assert run_model(lake, ExpertFavouritism, ModelConfig())[0].hits == []

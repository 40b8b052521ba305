"""C26 明招暗定: a winner far above the field on technical merit but bottom on credentials is flagged; a
strong firm that is also best on credentials, and a section without a winner, are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c26_winner_technical_outlier import WinnerTechnicalOutlier
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.expert_fixture import BIDDERS, panel_lake

ROW = [47.0, 30.0, 28.0, 31.0, 29.0]
PANEL = [ROW, [46.0, 31.0, 27.0, 30.0, 30.0], [48.0, 29.0, 29.0, 32.0, 28.0]]


def test_winner_technical_outlier(tmp_path: Path) -> None:
    panels = {"S1": PANEL, "S2": PANEL, "S3": PANEL}
    business = {
        "S1": [5.0, 12.0, 14.0, 13.0, 15.0],  # the winner is bottom on credentials
        "S2": [18.0, 12.0, 14.0, 13.0, 15.0],  # the winner is also the best on credentials
        "S3": [5.0, 12.0, 14.0, 13.0, 15.0],  # no award and no rank: no winner known
    }
    lake = panel_lake(tmp_path, panels, business, winners={"S1": 0, "S2": 0})
    hits = run_model(lake, WinnerTechnicalOutlier, ModelConfig())[0].hits
    assert [(h.subject_id, h.entities, h.rules, h.severity) for h in hits] == [
        ("S1", [BIDDERS[0]], ["winner_technical_outlier"], "orange")
    ]
    assert hits[0].evidence[0].value.startswith("technical 47.00 vs rivals 29.50 (z ")
    assert hits[0].evidence[0].value.endswith("business 5.00, 4 of 4 rivals at least as high")
    assert BIDDERS[0] in WinnerTechnicalOutlier.explain(hits[0], "zh")


def test_one_expert_or_level_credentials_are_not_the_pattern(tmp_path: Path) -> None:
    # S1: a five-expert panel where only expert 0 lifts the winner (C24's case): the trimmed mean drops
    # that score and the winner is level with the field (its plain mean, 34.1 vs 29.5, would stand out). S2: the whole panel lifts the winner, but its
    # business score (11) is level with the rivals' (12–15), not clearly weak.
    rivals = [30.0, 28.0, 31.0, 29.0]
    one = [[48.0, *rivals], [31.0, *rivals], [30.0, *rivals], [32.0, *rivals], [29.5, *rivals]]
    panels = {"S1": one, "S2": PANEL}
    business = {"S1": [5.0, 12.0, 14.0, 13.0, 15.0], "S2": [11.0, 12.0, 14.0, 13.0, 15.0]}
    lake = panel_lake(tmp_path, panels, business, winners={"S1": 0, "S2": 0})
    assert run_model(lake, WinnerTechnicalOutlier, ModelConfig())[0].hits == []

"""C25 天地分: one bidder scored near full marks by one expert and near zero by another is flagged; a
panel that disagrees about everybody and ordinary noise are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c25_extreme_score_spread import ExtremeScoreSpread
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.expert_fixture import BIDDERS, EXPERTS, panel_lake


def test_extreme_score_spread(tmp_path: Path) -> None:
    panels: dict[str, list[list[float | None]]] = {
        # S1: bidder 1 gets 48 from expert 0 and 8 from expert 3; the others vary by 2–3 points.
        "S1": [
            [30.0, 48.0, 25.0, 28.0],
            [31.0, 33.0, 26.0, 29.0],
            [29.0, 34.0, 24.0, 27.0],
            [30.5, 8.0, 25.5, 28.5],
        ],
        # S2: a vague guide: every bidder's scores spread widely, none stands out.
        "S2": [[10.0, 45.0, 12.0, 44.0], [40.0, 12.0, 43.0, 10.0], [25.0, 30.0, 20.0, 28.0]],
        # S3: ordinary noise; one score missing (a null never counts).
        "S3": [[30.0, 35.0, 25.0, 28.0], [32.0, None, 27.0, 29.0], [29.0, 34.0, 24.0, 26.0]],
    }
    lake = panel_lake(tmp_path, panels)
    hits = run_model(lake, ExtremeScoreSpread, ModelConfig())[0].hits
    assert [(h.subject_id, h.entities, h.rules, h.severity) for h in hits] == [
        ("S1", [BIDDERS[1]], ["highest_score", "lowest_score"], "orange")
    ]
    ev = {e.rule: (e.record_key, e.value) for e in hits[0].evidence}
    assert ev["highest_score"] == (f"S1|{EXPERTS[0]}|{BIDDERS[1]}", "48.00 (spread 40.00 of top 48.00)")
    assert ev["lowest_score"] == (f"S1|{EXPERTS[3]}|{BIDDERS[1]}", "8.00 (spread 40.00 of top 48.00)")
    assert EXPERTS[3] in ExtremeScoreSpread.explain(hits[0], "zh")

"""C20 PM with a live project: active works or works accepted only after the deadline are flagged;
completed works, works starting later and an adjacent section of the same works are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c20_pm_active_project import PmActiveProject
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E = (uscc(n) for n in range(60, 65))


def works(
    n: int, pm: int, start: str, status: str, completed: str | None = None, sec: str | None = None
) -> Any:
    return {
        "project_id": f"ZJ{n:04d}",
        "name": f"在建{n}",
        "industry": "building",
        "region_code": "330102",
        "contractor_uscc": uscc(70 + n),
        "project_manager_id": pid(pm),
        "start_date": start,
        "completion_date": completed,
        "status": status,
        "section_code": sec,
    }


def pm(sec: str, bidder: str, n: int) -> dict[str, Any]:
    return {
        "section_code": sec,
        "bidder_uscc": bidder,
        "role": "project_manager",
        "person_id": pid(n),
        "person_name": "某",
    }


def test_pm_locked_on_live_works(tmp_path: Path) -> None:
    projects = [
        works(1, 1, "2023-06-01", "active"),  # A's PM: live
        works(2, 2, "2023-01-01", "completed", "2024-05-30"),  # B's PM: accepted only after the deadline
        works(3, 3, "2022-01-01", "completed", "2024-01-15"),  # C's PM: completed before
        works(4, 4, "2024-04-01", "active"),  # D's PM: starts after the deadline
        works(5, 5, "2023-09-01", "active", sec="S9"),  # E's PM: adjacent section of the same works
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section("S1", "P1"), section("S9", "P1")]),
            "bids": csv("bids", [bid("S1", c) for c in (A, B, C, D, E)] + [bid("S9", E)]),
            "bid_personnel": csv(
                "bid_personnel",
                [pm("S1", A, 1), pm("S1", B, 2), pm("S1", C, 3), pm("S1", D, 4), pm("S1", E, 5)],
            ),
            "construction_projects": csv("construction_projects", projects),
        },
    )
    hits = run_model(lake, PmActiveProject, ModelConfig())[0].hits
    assert [(h.subject_id, h.entities, h.severity) for h in hits] == [("S1", sorted([A, B]), "orange")]
    values = {e.entity_id: e.value for e in hits[0].evidence}
    assert values[A] == f"{pid(1)} @ ZJ0001 ({uscc(71)}, active, since 2023-06-01)"
    assert values[B].endswith("completed, since 2023-01-01, completed 2024-05-30)")
    assert "ZJ0001" in PmActiveProject.explain(hits[0], "zh")

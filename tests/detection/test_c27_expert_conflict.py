"""C27: an expert employed or insured by a bidder, or by a firm sharing its legal representative, is a
red conflict naming expert and bidder; old insurance, unrelated employers and the tenderer's own
representative are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c27_expert_conflict import ExpertConflict
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, SISTER, OUTSIDER = (uscc(i) for i in range(1, 6))
E1, E2, E3, E4, E5, E6 = (pid(i) for i in range(1, 7))
REP = pid(20)


def _expert(e: str, employer: Any = None, kind: str = "technical") -> dict[str, Any]:
    return {
        "section_code": "S1",
        "expert_id": e,
        "expert_name": "专家",
        "expert_type": kind,
        "employer_uscc": employer,
    }


def test_expert_conflicts(tmp_path: Path) -> None:
    experts = [
        _expert(E1, A),  # employed by bidder A
        _expert(E2, "-"),  # insured by bidder B ten months before the deadline
        _expert(E3, SISTER),  # employer shares C's legal representative
        _expert(E4, OUTSIDER),  # unrelated employer; insured by A five years ago only
        _expert(E5, A, kind="owner_rep"),  # the tenderer's representative is not checked
        _expert(E6),
    ]
    insurance = [
        {"person_id": E2, "month": "2023-05", "employer_uscc": B},
        {"person_id": E4, "month": "2019-01", "employer_uscc": A},
    ]
    companies = [
        {
            "uscc": x,
            "name": f"公司{i}",
            "legal_rep_name": "某某",
            "founded_on": "2010-01-01",
            "legal_rep_id": REP if x in (C, SISTER) else pid(30 + i),
        }
        for i, x in enumerate((A, B, C, SISTER, OUTSIDER))
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", [section("S1", "P1")]),  # deadline 2024-03-01
            "bids": csv("bids", [bid("S1", x) for x in (A, B, C)]),
            "experts": csv("experts", experts),
            "social_insurance": csv("social_insurance", insurance),
            "companies": csv("companies", companies),
        },
    )
    (hit,) = run_model(lake, ExpertConflict, ModelConfig())[0].hits
    assert hit.severity == "red"
    assert hit.entities == sorted([E1, E2, E3])
    found = {(e.entity_id, e.rule, e.dataset, e.value) for e in hit.evidence}
    assert found == {
        (E1, "employer_is_bidder", "experts", f"bidder {A}: {A}"),
        (E2, "employer_is_bidder", "social_insurance", f"bidder {B}: 2023-05"),
        (E3, "employer_same_legal_rep", "experts", f"bidder {C}: {SISTER}"),
    }
    assert "回避" in ExpertConflict.explain(hit, "zh")

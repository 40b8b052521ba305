"""C21 one person for several companies: a lent lead within 90 days and double insurance are flagged;
a job changer, namings 150 days apart and two bidders of one section (C07's case) are not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tenderwatch.detection.c21_certificate_lending import CertificateLending
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

X, Y, Z, W = (uscc(n) for n in range(80, 84))
JAN, MAR, JUN = datetime(2024, 1, 10, 9), datetime(2024, 3, 1, 9), datetime(2024, 6, 8, 9)


def lead(sec: str, bidder: str, n: int, role: str = "technical_lead") -> dict[str, Any]:
    return {
        "section_code": sec,
        "bidder_uscc": bidder,
        "role": role,
        "person_id": pid(n),
        "person_name": "某",
    }


def si(n: int, employer: str, *months: str) -> list[dict[str, Any]]:
    return [{"person_id": pid(n), "month": m, "employer_uscc": employer} for m in months]


def test_one_person_for_two_companies(tmp_path: Path) -> None:
    sections = {"S1": JAN, "S2": MAR, "S3": JAN, "S4": MAR, "S5": MAR, "S6": MAR, "S7": JUN}
    personnel = [
        lead("S1", X, 1),
        lead("S2", Y, 1),  # X's engineer offered by Y 51 days later
        lead("S3", X, 2),
        lead("S4", Y, 2),  # moved from X to Y in between: not flagged
        lead("S5", Z, 3, "safety_lead"),  # insured by Z and W in February
        lead("S6", X, 4),
        lead("S6", Y, 4),  # two bidders of one section: C07's case
        lead("S1", X, 5, "project_manager"),
        lead("S7", Y, 5, "project_manager"),  # 150 days later
    ]
    months = ("2023-12", "2024-01", "2024-02", "2024-03")
    insurance = si(1, X, *months) + si(2, X, "2023-12", "2024-01") + si(2, Y, "2024-02", "2024-03")
    insurance += si(3, Z, *months) + si(3, W, "2024-02") + si(4, X, *months) + si(5, X, *months)
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section(s, "P1", dl) for s, dl in sections.items()]),
            "bids": csv(
                "bids",
                [bid(s, c) for s, c in sorted({(p["section_code"], p["bidder_uscc"]) for p in personnel})],
            ),
            "bid_personnel": csv("bid_personnel", personnel),
            "social_insurance": csv("social_insurance", insurance),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, CertificateLending, ModelConfig())[0].hits}
    assert set(hits) == {pid(1), pid(3)}
    lent, double = hits[pid(1)], hits[pid(3)]
    assert lent.subject_type == "person" and lent.severity == "orange"
    assert lent.entities == sorted([X, Y]) and lent.rules == ["key_staff_two_companies"]
    assert lent.section_code == "S2"
    assert {(e.entity_id, e.value) for e in lent.evidence} == {
        (X, "technical_lead 2024-01-10"),
        (Y, "technical_lead 2024-03-01"),
    }
    assert double.entities == sorted([W, Z]) and double.rules == ["double_insurance"]
    assert {e.record_key for e in double.evidence if e.dataset == "social_insurance"} == {
        f"{pid(3)}|2024-02|{W}",
        f"{pid(3)}|2024-02|{Z}",
    }
    assert "社保" in CertificateLending.explain(double, "zh")
    # A 200-day window also catches the project manager offered 150 days apart.
    wide = run_model(lake, CertificateLending, ModelConfig(params={"window_days": 200}))[0].hits
    assert {h.subject_id for h in wide} == {pid(1), pid(3), pid(5)}

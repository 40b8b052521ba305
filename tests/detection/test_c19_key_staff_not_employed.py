"""C19 key staff not employed by the bidder: two borrowed leads or a competitor's certificate are red,
one lead insured by a third firm is orange; a job changer, contribution lag and own staff are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c19_key_staff_not_employed import KeyStaffNotEmployed
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E, LENDER, X, Z = (uscc(n) for n in range(50, 58))
WINDOW = ("2023-12", "2024-01", "2024-02", "2024-03")  # deadline 2024-03-01 and three months before


def staff(sec: str, bidder: str, role: str, n: int) -> dict[str, Any]:
    return {
        "section_code": sec,
        "bidder_uscc": bidder,
        "role": role,
        "person_id": pid(n),
        "person_name": f"人{n}",
    }


def cert(n: int, employer: str, valid_from: str = "2020-01-01") -> dict[str, Any]:
    return {
        "certificate_no": f"浙{n:09d}",
        "person_id": pid(n),
        "certificate_type": "constructor_2",
        "employer_uscc": employer,
        "valid_from": valid_from,
        "valid_to": "2028-01-01",
    }


def insured(n: int, employer: str, months: tuple[str, ...] = WINDOW) -> list[dict[str, Any]]:
    return [{"person_id": pid(n), "month": m, "employer_uscc": employer} for m in months]


def test_borrowed_key_staff_and_look_alikes(tmp_path: Path) -> None:
    personnel = [
        staff("S1", A, "project_manager", 1),  # A's own PM
        staff("S1", B, "technical_lead", 2),  # both of B's leads belong to LENDER: red
        staff("S1", B, "safety_lead", 3),
        staff("S2", C, "technical_lead", 4),  # certificate registered with D, a competitor: red
        staff("S3", E, "technical_lead", 5),  # moved from X to E a month ago: not flagged
        staff("S3", E, "quality_lead", 6),  # one recorded month only (contribution lag): no verdict
        staff("S3", E, "safety_lead", 7),  # insured by Z throughout: orange
        staff("S3", E, "agent", 8),  # agents are not key staff
    ]
    certs = [cert(1, A), cert(2, LENDER), cert(3, LENDER), cert(4, D), cert(5, E, "2024-01-25"), cert(8, Z)]
    si = insured(1, A) + insured(2, LENDER) + insured(3, LENDER) + insured(8, Z)
    si += insured(5, X, WINDOW[:2]) + insured(5, E, WINDOW[2:]) + insured(6, Z, WINDOW[:1]) + insured(7, Z)
    bids = [bid("S1", A), bid("S1", B), bid("S2", C), bid("S2", D), bid("S3", E)]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section(s, "P1") for s in ("S1", "S2", "S3")]),
            "bids": csv("bids", bids),
            "bid_personnel": csv("bid_personnel", personnel),
            "certificates": csv("certificates", certs),
            "social_insurance": csv("social_insurance", si),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, KeyStaffNotEmployed, ModelConfig())[0].hits}
    assert {k: (h.entities, h.severity) for k, h in hits.items()} == {
        "S1": ([B], "red"),
        "S2": ([C], "red"),
        "S3": ([E], "orange"),
    }
    s1 = {(e.rule, e.record_key, e.value) for e in hits["S1"].evidence}
    assert ("certificate_elsewhere", "浙000000002", LENDER) in s1
    assert ("insured_elsewhere", f"{pid(3)}|2023-12..2024-03", LENDER) in s1
    assert {e.value for e in hits["S2"].evidence if e.rule == "certificate_elsewhere"} == {D}
    s3_people = {e.record_key.split("|")[3] for e in hits["S3"].evidence if e.rule == "named_key_staff"}
    assert s3_people == {pid(7)}
    assert hits["S3"].rules == ["insured_elsewhere", "named_key_staff"]
    assert LENDER in KeyStaffNotEmployed.explain(hits["S1"], "zh")
    # Asking for a single recorded month makes the lagging quality lead count as well.
    loose = run_model(lake, KeyStaffNotEmployed, ModelConfig(params={"si_min_months": 1}))[0].hits
    s3 = next(h for h in loose if h.subject_id == "S3")
    assert s3.severity == "red"

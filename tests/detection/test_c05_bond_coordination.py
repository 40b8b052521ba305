"""C05 bond and guarantee coordination: one applicant, consecutive numbers inside a section and bonds paid
minutes apart in three sections are flagged; batch numbers across sections, a single close payment and
empty applicants are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c05_bond_coordination import BondCoordination
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E, F = (uscc(n) for n in range(20, 26))
ISSUER = "某保险公司"


def guarantee(no: str, sec: str, bidder: str, applicant: str | None = None, **kw: Any) -> dict[str, Any]:
    row = {
        "guarantee_no": no,
        "section_code": sec,
        "bidder_uscc": bidder,
        "issuer": ISSUER,
        "applicant_id": applicant,
        "amount": "10000.00",
        "issued_at": "2024-02-26 10:00:00",
    }
    return row | kw


def bond(n: int, sec: str, bidder: str, paid_at: str) -> dict[str, Any]:
    return {
        "bond_id": f"BZJ{n:04d}",
        "section_code": sec,
        "bidder_uscc": bidder,
        "pay_method": "transfer",
        "amount": "10000.00",
        "paid_at": paid_at,
    }


def test_coordinated_security_is_flagged_and_look_alikes_are_not(tmp_path: Path) -> None:
    secs = ["S1", "S2", "S3", "S4", "S5"]
    bids = [bid(s, c) for s in secs for c in (A, B, C)] + [bid("S6", D), bid("S6", E), bid("S6", F)]
    guarantees = [
        guarantee("BH0120240226000123", "S1", A, pid(1)),
        guarantee("BH0120240226000124", "S1", B, pid(2)),  # consecutive, same issuer, same section
        guarantee("BH0120240226555000", "S2", A, pid(3)),
        guarantee("BH0120240226777000", "S2", B, pid(3)),  # same applicant
        guarantee("BH0120240226888000", "S2", C, None),  # no applicant: nulls never match
        guarantee("BH0120240226999000", "S3", C, None),
        # A platform batch: consecutive numbers for bidders of different sections.
        guarantee("BH99BATCH50000000", "S4", C, pid(4)),
        guarantee("BH99BATCH50000001", "S5", C, pid(5)),
        guarantee("BH99BATCH50000002", "S6", D, pid(6)),
        guarantee("BH0120240226300001", "S6", E, pid(7)),
        guarantee("BH0220240226300002", "S6", F, pid(8)),  # consecutive but another issuer's prefix
    ]
    guarantees[-1]["issuer"] = "另一银行"
    bonds = [
        # A and C pay 3–8 minutes apart in S3, S4 and S5 (a routine); A and B only once (S1).
        bond(1, "S3", A, "2024-02-27 10:00:00"),
        bond(2, "S3", C, "2024-02-27 10:08:00"),
        bond(3, "S4", A, "2024-02-27 14:00:00"),
        bond(4, "S4", C, "2024-02-27 13:57:00"),
        bond(5, "S5", A, "2024-02-28 09:00:00"),
        bond(6, "S5", C, "2024-02-28 09:05:00"),
        bond(7, "S1", B, "2024-02-27 11:00:00"),
        bond(8, "S1", C, "2024-02-27 11:04:00"),
        bond(9, "S2", C, "2024-02-27 11:00:00"),
        bond(10, "S2", B, "2024-02-27 16:00:00"),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section(s, "P1") for s in [*secs, "S6"]]),
            "bids": csv("bids", bids),
            "bid_guarantees": csv("bid_guarantees", guarantees),
            "bid_bonds": csv("bid_bonds", bonds),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, BondCoordination, ModelConfig())[0].hits}
    assert {k: (h.entities, h.rules, h.severity) for k, h in hits.items()} == {
        "S1": (sorted([A, B]), ["consecutive_guarantee_numbers"], "orange"),
        "S2": (sorted([A, B]), ["same_applicant_id"], "red"),
        "S3": (sorted([A, C]), ["bond_paid_minutes_apart"], "orange"),
        "S4": (sorted([A, C]), ["bond_paid_minutes_apart"], "orange"),
        "S5": (sorted([A, C]), ["bond_paid_minutes_apart"], "orange"),
    }
    assert {e.value for e in hits["S2"].evidence} == {pid(3)}
    assert {(e.entity_id, e.value) for e in hits["S4"].evidence} == {
        (A, "2024-02-27 14:00:00"),
        (C, "2024-02-27 13:57:00"),
    }
    assert "连号" in BondCoordination.explain(hits["S1"], "zh")
    # Demanding four sections turns the routine off.
    strict = run_model(lake, BondCoordination, ModelConfig(params={"min_sections": 4}))[0].hits
    assert {h.subject_id for h in strict} == {"S1", "S2"}

"""C08 on hand-written records: a bidder's named staff insured by a competitor in the same section."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c08_cross_staffed import CrossStaffed
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import (
    P1,
    P2,
    P3,
    P4,
    P5,
    TENDERER,
    A,
    B,
    C,
    D,
    E,
    bids,
    csv,
    hits,
    pairs,
    tender,
)

STAFF = "section_code,bidder_uscc,role,person_id,person_name"
SI = "person_id,month,employer_uscc,base_amount"


def _months(person: str, employer: str, months: list[str]) -> list[tuple[str, str, str, str]]:
    return [(person, m, employer, "6500.00") for m in months]


def test_staff_insured_by_a_competitor_are_flagged_other_payers_and_short_spells_are_not(
    tmp_path: Path,
) -> None:
    staff = [
        ("S1", A, "agent", P1, "张三"),  # insured by competitor B for four months around the deadline
        ("S1", C, "project_manager", P2, "李四"),  # insured by D for two months only
        ("S1", E, "technical_lead", P3, "王五"),  # insured by the tenderer, which does not bid
        ("S1", D, "member", P5, "孙七"),  # a team member insured by C: orange
        ("S2", A, "project_manager", P4, "赵六"),  # B's own PM, also named by A (C07's finding)
        ("S2", B, "project_manager", P4, "赵六"),
    ]
    si = (
        _months(P1, B, ["2024-03", "2024-04", "2024-05", "2024-06"])
        + _months(P1, A, ["2023-01"])
        + _months(P2, D, ["2024-05", "2024-06"])
        + _months(P2, C, ["2024-01", "2024-02", "2024-03", "2024-04"])
        + _months(P3, TENDERER, ["2024-03", "2024-04", "2024-05", "2024-06"])
        + _months(P4, B, ["2024-03", "2024-04", "2024-05", "2024-06"])
        + _months(P5, C, ["2024-04", "2024-05", "2024-06", "2024-07"])
    )
    lake = lake_from_csv(
        tmp_path,
        tender(("S1", "S2"))
        | {
            "bids": bids([("S1", u) for u in (A, B, C, D, E)] + [("S2", A), ("S2", B)]),
            "bid_personnel": csv(STAFF, staff),
            "social_insurance": csv(SI, si),
        },
    )
    found = hits(lake, CrossStaffed)
    assert pairs(found) == {("S1", frozenset({A, B, C, D}))}
    (hit,) = found
    assert hit.severity == "red"
    assert {(e.entity_id, e.severity, e.field, e.value) for e in hit.evidence} == {
        (A, "red", "person_id", P1),
        (B, "red", "employer_uscc", B),
        (B, "red", "month", "2024-03..2024-06 (4)"),
        (D, "orange", "person_id", P5),
        (C, "orange", "employer_uscc", C),
        (C, "orange", "month", "2024-04..2024-07 (4)"),
    }
    assert P1 in CrossStaffed.explain(hit, "zh") and B in CrossStaffed.explain(hit, "en")


def test_contributions_outside_the_window_do_not_count(tmp_path: Path) -> None:
    staff = [("S1", A, "technical_lead", P1, "张三")]
    si = _months(P1, B, ["2023-10", "2023-11", "2023-12", "2024-08", "2024-09"])  # deadline 2024-06
    lake = lake_from_csv(
        tmp_path,
        tender()
        | {
            "bids": bids([("S1", A), ("S1", B)]),
            "bid_personnel": csv(STAFF, staff),
            "social_insurance": csv(SI, si),
        },
    )
    assert hits(lake, CrossStaffed) == []

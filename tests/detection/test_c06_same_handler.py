"""C06 on hand-written records: one person handling the bids of competing bidders."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c06_same_handler import SameHandler
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import (
    NAMES,
    P1,
    P2,
    P3,
    P4,
    P5,
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

GUARANTEES = "guarantee_no,section_code,bidder_uscc,issuer,applicant_id,applicant_phone,amount,issued_at"


def test_same_operator_id_or_phone_is_red_and_a_shared_guarantee_applicant_orange(tmp_path: Path) -> None:
    lake = lake_from_csv(
        tmp_path,
        tender(("S1", "S2"))
        | {
            "bids": bids(
                [
                    ("S1", A, P1, "13800000001"),
                    ("S1", B, P1, "13900000002"),  # A's operator submits B's bid: red
                    ("S1", C, P3, "13700000003"),
                    ("S1", D, P4, "13700000003"),  # one operator phone: red
                    ("S2", C, P3, "13700000005"),
                    ("S2", E, P5, "13700000006"),
                ]
            ),
            "bid_guarantees": csv(
                GUARANTEES,
                [
                    ("BH01", "S2", C, "平安保险", P2, "13600000001", "200000.00", "2024-06-18 10:00:00"),
                    ("BH02", "S2", E, "平安保险", P2, "13600000001", "200000.00", "2024-06-18 10:05:00"),
                ],
            ),
        },
    )
    found = hits(lake, SameHandler)
    assert pairs(found) == {("S1", frozenset({A, B, C, D})), ("S2", frozenset({C, E}))}
    s1 = next(h for h in found if h.section_code == "S1")
    assert s1.severity == "red"
    assert {(e.entity_id, e.field, e.value) for e in s1.evidence} == {
        (A, "operator_id", P1),
        (B, "operator_id", P1),
        (C, "operator_phone", "13700000003"),
        (D, "operator_phone", "13700000003"),
    }
    s2 = next(h for h in found if h.section_code == "S2")
    assert s2.severity == "orange"
    assert {e.field for e in s2.evidence} == {"applicant_id", "applicant_phone"}
    assert P2 in SameHandler.explain(s2, "zh")


def test_placeholders_and_an_agencys_phone_on_company_records_do_not_match(tmp_path: Path) -> None:
    companies = csv(
        "uscc,name,legal_rep_name,phone,founded_on",
        [(c, NAMES[c], "法人", "057188880000", "2010-01-01") for c in (A, B)],  # the agency's landline
    )
    lake = lake_from_csv(
        tmp_path,
        tender()
        | {
            "bids": bids(
                [("S1", A, "0", "-"), ("S1", B, "0", "-"), ("S1", C, P3, "无"), ("S1", D, P4, "无")]
            ),
            "companies": companies,
        },
    )
    assert hits(lake, SameHandler) == []

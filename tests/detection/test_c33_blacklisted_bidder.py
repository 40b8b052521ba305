"""C33: a bid made while the bidder (or its legal representative) is barred is red; an expired or
foreign-region ban is not; two collusion records in three years make an orange recidivist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c33_blacklisted_bidder import BlacklistedBidder
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E = (uscc(i) for i in range(1, 6))
REP = pid(7)


def _ban(
    entry: str, subject: str, start: str, end: str | None, scope: str | None, kind: str = "company"
) -> Any:
    return {
        "entry_id": entry,
        "subject_type": kind,
        "subject_id": subject,
        "reason": "围标串标，情节严重",
        "restricted_actions": "限制参与依法必须招标项目投标",
        "scope_region": scope,
        "start_date": start,
        "end_date": end,
    }


def _record(rid: str, subject: str, reason: str, day: str) -> Any:
    return {
        "record_id": rid,
        "subject_type": "company",
        "subject_id": subject,
        "kind": "bad",
        "reason": reason,
        "issuer": "浙江省住房和城乡建设厅",
        "decided_on": day,
    }


def test_barred_bidders_and_recidivists(tmp_path: Path) -> None:
    blacklist = [
        _ban("L1", A, "2023-06-01", "2025-06-01", "33"),  # covers the 2024-03-01 deadline
        _ban("L2", B, "2021-01-01", "2023-01-01", "33"),  # expired
        _ban("L3", C, "2023-06-01", None, "3301"),  # indefinite, but Hangzhou only; section in 3302
        _ban("L4", REP, "2024-01-01", "2024-12-31", None, kind="person"),  # D's legal rep, everywhere
    ]
    records = [
        _record("R1", E, "串通投标", "2022-05-01"),
        _record("R2", E, "围标串标", "2023-09-01"),
        _record("R3", B, "串通投标", "2019-05-01"),
        _record("R4", B, "围标串标", "2023-09-01"),  # 5 years apart
        _record("R5", C, "拖欠农民工工资", "2023-01-01"),
        _record("R6", C, "违法分包", "2023-02-01"),
    ]
    companies = [
        {
            "uscc": c,
            "name": f"公司{i}",
            "legal_rep_name": "某某",
            "founded_on": "2010-01-01",
            "legal_rep_id": REP if c == D else "-",
        }
        for i, c in enumerate((A, B, C, D, E))
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv(
                "tender_projects", [project("P1", uscc(9, authority="1"), region_code="330203")]
            ),
            "sections": csv("sections", [section("S1", "P1", region_code="330203")]),
            "bids": csv("bids", [bid("S1", x) for x in (A, B, C, D, E)]),
            "blacklist": csv("blacklist", blacklist),
            "credit_records": csv("credit_records", records),
            "companies": csv("companies", companies),
        },
    )
    (hit,) = run_model(lake, BlacklistedBidder, ModelConfig())[0].hits
    assert hit.entities == [A, D, E] and hit.severity == "red"
    found = {(e.entity_id, e.rule, e.severity, e.record_key) for e in hit.evidence}
    assert found == {
        (A, "blacklisted_bidder", "red", "L1"),
        (D, "blacklisted_legal_rep", "red", "L4"),
        (E, "collusion_recidivist", "orange", "R1"),
        (E, "collusion_recidivist", "orange", "R2"),
    }
    assert "2023-06-01~2025-06-01" in next(e.value for e in hit.evidence if e.record_key == "L1")
    assert "失信" in BlacklistedBidder.explain(hit, "zh")

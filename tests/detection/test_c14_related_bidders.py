"""C14 related bidders: the same legal representative or direct control in one section is red, a shared
officer orange; state-owned firms under one commission, group members in different sections and missing
IDs are not flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c14_related_bidders import RelatedBidders
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, pid, project, section, uscc

A, B, C, D, E, F, G, H, SASAC, P1, P2, HOLD = (uscc(n) for n in range(30, 42))


def company(code: str, rep: str | None, **kw: Any) -> dict[str, Any]:
    row = {"uscc": code, "name": f"公司{code[-4:]}", "legal_rep_name": "某人", "legal_rep_id": rep}
    return row | {"founded_on": "2010-01-01", "address": f"杭州市某路{code[-4:]}号"} | kw


def holding(company_uscc: str, holder: str, pct: str, kind: str = "company") -> dict[str, Any]:
    return {
        "company_uscc": company_uscc,
        "holder_id": holder,
        "holder_type": kind,
        "holder_name": "股东",
        "share_pct": pct,
    }


def test_related_bidders_in_one_section(tmp_path: Path) -> None:
    companies = [
        company(A, pid(1)),
        company(B, pid(1)),  # same legal representative as A
        company(C, pid(3)),
        company(D, pid(4)),  # 60 % owned by C
        company(E, None),
        company(F, None),  # two missing legal-rep IDs never match
        company(G, pid(7)),
        company(H, pid(8)),  # G and H: state-owned, different parents under one commission
        company(SASAC, pid(9)),
        company(P1, pid(10)),
        company(P2, pid(11)),
        company(HOLD, pid(12)),
    ]
    shareholders = [
        holding(D, C, "60"),
        holding(G, P1, "100"),
        holding(H, P2, "100"),
        holding(P1, SASAC, "100"),
        holding(P2, SASAC, "100"),
        holding(A, HOLD, "70"),  # HOLD's members A and E never meet in one section
        holding(E, HOLD, "70"),
    ]
    officers = [
        {"company_uscc": E, "person_id": pid(20), "person_name": "王伟", "position": "监事"},
        {"company_uscc": F, "person_id": pid(20), "person_name": "王伟", "position": "财务负责人"},
    ]
    bids = [bid("S1", c) for c in (A, B, C, D)] + [bid("S2", c) for c in (E, F, G, H)]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section("S1", "P1"), section("S2", "P1")]),
            "bids": csv("bids", bids),
            "companies": csv("companies", companies),
            "shareholders": csv("shareholders", shareholders),
            "officers": csv("officers", officers),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, RelatedBidders, ModelConfig())[0].hits}
    s1, s2 = hits["S1"], hits["S2"]
    assert set(hits) == {"S1", "S2"}
    assert s1.entities == sorted([A, B, C, D]) and s1.severity == "red"
    assert s1.rules == ["direct_control", "same_legal_rep"]
    assert {(e.entity_id, e.value) for e in s1.evidence if e.rule == "same_legal_rep"} == {
        (A, pid(1)),
        (B, pid(1)),
    }
    assert {e.value for e in s1.evidence if e.rule == "direct_control"} == {f"{C} 60.0%"}
    assert s2.entities == sorted([E, F]) and s2.severity == "orange" and s2.rules == ["shared_officer"]
    assert "法定代表人为同一人" in RelatedBidders.explain(s1, "zh")
    # A higher control threshold leaves only the same legal representative.
    strict = run_model(lake, RelatedBidders, ModelConfig(params={"control_pct": 61}))[0].hits
    assert {h.subject_id: h.entities for h in strict if h.subject_id == "S1"} == {"S1": sorted([A, B])}

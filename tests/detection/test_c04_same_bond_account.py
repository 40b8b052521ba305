"""C04 bond accounts: one account for two bidders and a bond from another bidder's basic account are red,
a bond from a third account is orange; a parent's treasury payment and empty accounts are not flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.detection.c04_same_bond_account import SameBondAccount
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, project, section, uscc

A, B, C, D, E, F, PARENT = (uscc(n) for n in range(10, 17))


def company(code: str, account: str | None, **kw: Any) -> dict[str, Any]:
    row = {"uscc": code, "name": f"公司{code[-4:]}", "legal_rep_name": "张三", "founded_on": "2010-01-01"}
    return row | {"basic_account": account} | kw


def bond(n: int, sec: str, bidder: str, account: str | None, method: str = "transfer") -> dict[str, Any]:
    return {
        "bond_id": f"BZJ{n:04d}",
        "section_code": sec,
        "bidder_uscc": bidder,
        "pay_method": method,
        "payer_account": account,
        "payer_name": None if account is None else "某某",
        "amount": "10000.00",
        "paid_at": "2024-02-27 10:00:00",
    }


def test_shared_and_foreign_accounts(tmp_path: Path) -> None:
    companies = [company(A, "1001"), company(B, "1002"), company(C, "1003"), company(D, "1004")]
    companies += [company(E, "1005"), company(F, None), company(PARENT, "9009")]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(1, authority="1"))]),
            "sections": csv("sections", [section("S1", "P1"), section("S2", "P1"), section("S3", "P1")]),
            "bids": csv(
                "bids",
                [bid(s, c) for s, c in [("S1", A), ("S1", B), ("S1", C), ("S2", D), ("S2", E)]]
                + [bid("S2", F), bid("S3", A), bid("S3", B)],
            ),
            "companies": csv("companies", companies),
            "shareholders": csv(
                "shareholders",
                [
                    {
                        "company_uscc": E,
                        "holder_id": PARENT,
                        "holder_type": "company",
                        "holder_name": "集团",
                        "share_pct": "80",
                    }
                ],
            ),
            "bid_bonds": csv(
                "bid_bonds",
                [
                    bond(1, "S1", A, "1001"),
                    bond(2, "S1", B, "1001"),  # B pays from A's basic account
                    bond(3, "S1", C, "1003"),
                    bond(4, "S2", D, "6228000011112222"),  # a private account
                    bond(5, "S2", E, "9009"),  # the parent's treasury
                    bond(6, "S2", F, "7777"),  # F's own account is not on record
                    bond(7, "S3", A, None, "guarantee"),  # no payer account never matches
                    bond(8, "S3", B, None, "guarantee"),
                ],
            ),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, SameBondAccount, ModelConfig())[0].hits}
    assert set(hits) == {"S1", "S2"}
    s1, s2 = hits["S1"], hits["S2"]
    assert s1.entities == sorted([A, B]) and s1.severity == "red"
    assert s1.rules == ["not_own_basic_account", "other_bidder_account", "same_payer_account"]
    assert ("companies", A, "basic_account", "1001") in {
        (e.dataset, e.record_key, e.field, e.value) for e in s1.evidence if e.entity_id == A
    }
    assert s2.entities == [D] and s2.severity == "orange" and s2.rules == ["not_own_basic_account"]
    assert s2.evidence[0].value == "6228000011112222 (某某)"
    assert "1001" in SameBondAccount.explain(s1, "zh")
    assert "own basic account" in SameBondAccount.explain(s2, "en")

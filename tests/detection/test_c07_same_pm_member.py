"""C07 on hand-written records: the same project-management member named by two bidders."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c07_same_pm_member import SamePmMember
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import P1, P2, P3, P4, P5, A, B, C, D, bids, csv, hits, pairs, tender

HEAD = "section_code,bidder_uscc,role,person_id,person_name,certificate_no"


def test_same_pm_or_certificate_is_red_for_both_bidders_and_agents_names_placeholders_are_not(
    tmp_path: Path,
) -> None:
    staff = [
        ("S1", A, "project_manager", P1, "张三", "浙A133000001"),
        ("S1", B, "project_manager", P1, "张三", "浙A133000001"),  # same PM: red
        ("S2", A, "technical_lead", P2, "李四", "浙B233000002"),
        ("S2", B, "technical_lead", P3, "王五", "浙B233000002"),  # same certificate, other ID: red
        ("S2", C, "agent", P4, "赵六", ""),
        ("S2", D, "agent", P4, "赵六", ""),  # shared agent: C06's finding, not C07's
        ("S2", C, "project_manager", P5, "王伟", "无"),
        ("S2", D, "project_manager", P1, "王伟", "-"),  # different PMs of one name: no match
    ]
    lake = lake_from_csv(
        tmp_path,
        tender(("S1", "S2"))
        | {
            "bids": bids([("S1", A), ("S1", B), ("S2", A), ("S2", B), ("S2", C), ("S2", D)]),
            "bid_personnel": csv(HEAD, staff),
        },
    )
    found = hits(lake, SamePmMember)
    assert pairs(found) == {("S1", frozenset({A, B})), ("S2", frozenset({A, B}))}
    assert {h.severity for h in found} == {"red"}
    s1 = next(h for h in found if h.section_code == "S1")
    assert {(e.entity_id, e.field, e.value) for e in s1.evidence} == {
        (A, "person_id", P1),
        (B, "person_id", P1),
        (A, "certificate_no", "浙A133000001"),
        (B, "certificate_no", "浙A133000001"),
    }
    s2 = next(h for h in found if h.section_code == "S2")
    assert s2.rules == ["same_certificate"]
    assert "项目经理" in SamePmMember.explain(s1, "zh") and P1 in SamePmMember.explain(s1, "en")


def test_namesakes_with_different_ids_and_placeholder_certificates_never_match(tmp_path: Path) -> None:
    staff = [
        ("S1", A, "project_manager", P1, "王伟", "无"),
        ("S1", B, "project_manager", P2, "王伟", "-"),
        ("S1", C, "safety_lead", P3, "刘洋", "0"),
        ("S1", D, "safety_lead", P4, "刘洋", "0"),
    ]
    lake = lake_from_csv(
        tmp_path,
        tender()
        | {"bids": bids([("S1", A), ("S1", B), ("S1", C), ("S1", D)]), "bid_personnel": csv(HEAD, staff)},
    )
    assert hits(lake, SamePmMember) == []

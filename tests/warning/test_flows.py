"""Warnings from hits: one per section and subject, merged across models, graded, never duplicated."""

from __future__ import annotations

from sqlalchemy import select

from tenderwatch.db import Database
from tenderwatch.engine.base import EvidenceItem, Hit
from tenderwatch.warning.flows import Place, entity_region, raise_warnings
from tenderwatch.warning.grading import grade
from tenderwatch.warning.models import Warning, WarningEvent


def _hit(model: str, severity: str, section: str = "S1", entities: tuple[str, ...] = ("A", "B")) -> Hit:
    evidence = [
        EvidenceItem(e, "disk", severity, "bid_fingerprints", f"{section}|{e}", "disk_serial", "WD-1")
        for e in entities
    ]
    return Hit(model, 1, section, "section", section, severity, list(entities), ["disk"], evidence)


PLACES = {"S1": Place("330106", "building"), "S2": Place("330212", "water")}


def test_grading_rules() -> None:
    from tenderwatch.detection import get_model

    c01 = get_model("C01")
    assert grade([(c01, "red")]).grade == "red"
    assert grade([(c01, "orange")]).grade == "orange"
    assert grade([(c01, "yellow")]).grade == "yellow"
    # two orange signals of the same model are not independent
    assert grade([(c01, "orange"), (c01, "orange")]).grade == "orange"


def test_rerun_never_duplicates_and_records_changes(db: Database) -> None:
    with db.transaction() as session:
        first = raise_warnings(session, [(_hit("C01", "orange"), 1), (_hit("C01", "red", "S2"), 2)], PLACES)
    assert first == {"raised": 2, "updated": 0, "unchanged": 0}
    with db.transaction() as session:
        again = raise_warnings(session, [(_hit("C01", "orange"), 1), (_hit("C01", "red", "S2"), 2)], PLACES)
    assert again == {"raised": 0, "updated": 0, "unchanged": 2}
    with db.transaction() as session:
        stronger = raise_warnings(session, [(_hit("C01", "red", entities=("A", "B", "C")), 3)], PLACES)
    assert stronger == {"raised": 0, "updated": 1, "unchanged": 0}
    with db.session() as session:
        warnings = {w.section_code: w for w in session.scalars(select(Warning))}
        assert set(warnings) == {"S1", "S2"}
        s1 = warnings["S1"]
        assert (s1.grade, s1.region_code, s1.industry) == ("red", "330106", "building")
        assert s1.entities == ["A", "B", "C"]
        assert s1.hit_ids == [1, 3]
        assert s1.legal_basis and s1.benign and "文件制作机器码一致" in s1.explanation_zh
        kinds = [
            e.kind for e in session.scalars(select(WarningEvent).where(WarningEvent.warning_id == s1.id))
        ]
        assert kinds == ["raised", "evidence_added"]


def test_entity_warnings_route_to_the_registration_region() -> None:
    assert entity_region("company", "91330106MA2AAAAA0X") == "330106"
    assert entity_region("person", "330212198001010011") == "330212"
    assert entity_region("person", "110105194912310021") == "330000"

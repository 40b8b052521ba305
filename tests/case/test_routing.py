"""Routing by region and industry, escalation for networks spanning counties or cities, and visibility."""

from __future__ import annotations

from tenderwatch.case import service
from tenderwatch.case.models import Case, Department
from tenderwatch.db import Database
from tests.case.conftest import OpenCase, user


def _case(db: Database, case_id: int) -> Case:
    with db.session() as session:
        return session.get_one(Case, case_id)


def test_seed_is_idempotent_and_names_the_bureaus(seeded: Database) -> None:
    from tenderwatch.case.routing import seed_departments

    with seeded.transaction() as session:
        assert seed_departments(db_session=session) == 0
        dept = session.query(Department).filter_by(code="330106-building").one()
        assert dept.name_zh == "西湖区住房和城乡建设局" and dept.level == "county"
        assert session.query(Department).filter_by(code="330000-water").one().name_zh.endswith("水利厅")


def test_county_warning_goes_to_the_county_bureau(seeded: Database, open_case: OpenCase) -> None:
    case = _case(seeded, open_case())
    assert (case.department_code, case.level, case.region_prefix, case.state) == (
        "330106-building",
        "county",
        "330106",
        "assigned",
    )
    water = _case(seeded, open_case(industry="water"))
    assert water.department_code == "330106-water"


def test_networks_spanning_counties_go_to_the_city_and_cities_to_the_province(
    seeded: Database, open_case: OpenCase
) -> None:
    counties = _case(seeded, open_case(evidence_regions=("330108",)))
    assert (counties.department_code, counties.level) == ("330100-building", "city")
    cities = _case(seeded, open_case(evidence_regions=("330212",)))
    assert (cities.department_code, cities.level) == ("330000-building", "province")


def test_inspectors_of_the_level_see_read_only_and_others_do_not(
    seeded: Database, open_case: OpenCase
) -> None:
    case_id = open_case()
    with seeded.session() as session:
        case = session.get_one(Case, case_id)
        insp, ningbo = user(session, "insp"), user(session, "insp_ningbo")
        assert service.can_see(insp, case) and not service.can_see(ningbo, case)
        assert [c.id for c in service.list_cases(db_session=session, user=insp)] == [case_id]
        assert service.list_cases(db_session=session, user=ningbo) == []
        # read-only: an inspector may comment, transfer or merge, never sign for or conclude
        assert service.allowed_actions(insp, case) == ["transfer", "merge", "comment"]
        assert "accept" in service.allowed_actions(user(session, "reg"), case)
        assert service.allowed_actions(user(session, "reg_water"), case) == []


def test_seeding_departments_is_an_audited_change_once(db: Database) -> None:
    from sqlalchemy import select

    from tenderwatch.audit.models import AuditEvent
    from tenderwatch.case.routing import seed_departments

    with db.transaction() as session:
        added = seed_departments(db_session=session, actor="cli:root")
        assert added > 0 and seed_departments(db_session=session) == 0  # idempotent: nothing to record
    with db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "department")).all()
        assert [(e.actor, e.action, e.details) for e in events] == [
            ("cli:root", "change", {"op": "seed", "added": added})
        ]

"""Case fixtures: seeded departments, users of each role and relationship, warnings, and a helper that
answers a whole checklist."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.models import User
from tenderwatch.case import flows, service, verify
from tenderwatch.case.models import Case
from tenderwatch.case.routing import seed_departments
from tenderwatch.case.schemas import AnswerIn
from tenderwatch.db import Database
from tenderwatch.warning.models import Warning

ASSIGNED_ON = date(2026, 9, 30)  # the day before National Day: deadlines cross the holiday week

USERS: dict[str, list[tuple[str, str, list[str]]]] = {
    "reg": [("regulator", "330106", ["building"])],  # 西湖区住建局
    "reg2": [("regulator", "330106", ["building"])],
    "reg_water": [("regulator", "330106", ["water"])],
    "reg_city": [("regulator", "3301", ["building"])],
    "rev": [("reviewer", "3301", ["building"])],
    "selfrev": [("regulator", "330106", ["building"]), ("reviewer", "330106", ["building"])],
    "insp": [("inspector", "3301", [])],
    "insp_ningbo": [("inspector", "3302", [])],
}


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.transaction() as session:
        seed_departments(db_session=session)
        for name, grants in USERS.items():
            auth_service.create_user(
                db_session=session, username=name, display_name=name, password="x", grants=grants
            )
    return db


_serial = itertools.count(1)


def make_warning(
    session: Session,
    *,
    region: str = "330106",
    industry: str = "building",
    grade: str = "red",
    entities: tuple[str, ...] = ("A", "B"),
    section: str | None = "S1",
    evidence_regions: tuple[str, ...] = (),
) -> Warning:
    n = next(_serial)
    warning = Warning(
        fingerprint=f"{section}|section|{n}",
        section_code=section,
        subject_type="section",
        subject_id=f"S{n}",
        region_code=region,
        industry=industry,
        grade=grade,
        grade_reason_zh="测试",
        grade_reason_en="test",
        entities=list(entities),
        models=[{"id": "C01", "version": 1, "severity": grade, "rules": ["machine_code"]}],
        evidence=[{"region_code": r} for r in evidence_regions],
        explanation_zh="文件制作机器码一致",
        explanation_en="same machine code",
    )
    session.add(warning)
    session.flush()
    return warning


def user(session: Session, name: str) -> User:
    found = auth_service.get_by_username(db_session=session, username=name)
    assert found is not None
    return found


OpenCase = Callable[..., int]


@pytest.fixture
def open_case(seeded: Database) -> OpenCase:
    def make(**kwargs: object) -> int:
        with seeded.transaction() as session:
            warning = make_warning(session, **kwargs)  # type: ignore[arg-type]
            case = flows.open_case(
                db_session=session, settings=seeded.settings, warning=warning, today=ASSIGNED_ON
            )
            return case.id

    return make


def to_verifying(db: Database, case_id: int, handler: str = "reg") -> None:
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        flows.fire(
            db_session=session, user=user(session, handler), case=case, action="accept", version=case.version
        )
        flows.fire(
            db_session=session, user=user(session, handler), case=case, action="start", version=case.version
        )


def answer_all(db: Database, case_id: int, handler: str = "reg") -> int:
    """Answer every item 'pass' with one evidence file; returns that attachment's id."""
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        who = user(session, handler)
        doc = flows.save_attachment(
            db_session=session,
            settings=db.settings,
            user=who,
            case=case,
            filename="平台日志.pdf",
            data=b"log",
        )
        for entry in service.checklist(session.get_one(Warning, case.warning_id)):
            verify.answer_item(
                db_session=session,
                user=who,
                case=case,
                answer=AnswerIn(
                    version=case.version,
                    model_id=entry.model_id,
                    item_id=entry.item.id,
                    answer="pass",
                    notes="已核查",
                    attachment_ids=[doc.id],
                ),
            )
        return doc.id

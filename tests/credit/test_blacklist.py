"""Blacklist scope (region prefix, industries), period (start and end inclusive), restricted actions and
status, through ``gate.check`` on the database; and the reading of the credit centre's action texts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tenderwatch.credit import gate, service
from tenderwatch.credit.lake import LakeCredit, actions_of, kind_of
from tenderwatch.credit.models import ACTIONS
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tests.credit.conftest import pid, uscc

A = uscc(1)
START, END = date(2025, 1, 1), date(2025, 12, 31)


def _ban(db: Database, **changes: Any) -> int:
    spec: dict[str, Any] = {
        "subject_type": "company",
        "subject_id": A,
        "restricted_actions": ["submit_bid"],
        "scope_region": "33",
        "industries_in_scope": [],
        "start_date": START,
        "end_date": END,
        "legal_basis": "《招标投标法实施条例》第六十七条",
        "reason": "串通投标",
        "decision_no": "浙建罚〔2024〕1号",
    } | changes
    with db.transaction() as session:
        return service.add_blacklist(db_session=session, actor="r", **spec).id


def _allowed(db: Database, *, subject: str = A, kind: str = "company", **ask: Any) -> bool:
    query: dict[str, Any] = {
        "action": "submit_bid",
        "region": "330106",
        "industry": "building",
        "on": date(2025, 6, 1),
    } | ask
    with db.session() as session:
        return gate.check(
            db_session=session, lake=LakeCredit(), subject_type=kind, subject_id=subject, **query
        ).allowed


@pytest.mark.parametrize(
    ("scope", "region", "allowed"),
    [
        ("33", "330106", False),  # province-wide ban, a Hangzhou project
        ("33", "330206", False),  # … and a Ningbo one
        ("33", "320106", True),  # Jiangsu is outside the scope
        ("", "110101", False),  # nationwide
        ("3301", "330106", False),
        ("3301", "330206", True),  # a Hangzhou-only ban does not reach Ningbo
        ("330106", "330106", False),
    ],
)
def test_region_scope(db: Database, scope: str, region: str, allowed: bool) -> None:
    _ban(db, scope_region=scope)
    assert _allowed(db, region=region) is allowed


@pytest.mark.parametrize(
    ("industries", "industry", "allowed"),
    [
        ([], "water", False),
        (["building"], "building", False),
        (["building"], "transport", True),
        (["building", "water"], "water", False),
    ],
)
def test_industry_scope(db: Database, industries: list[str], industry: str, allowed: bool) -> None:
    _ban(db, industries_in_scope=industries)
    assert _allowed(db, industry=industry) is allowed


@pytest.mark.parametrize(
    ("on", "end", "allowed"),
    [
        (date(2024, 12, 31), END, True),  # the day before the start
        (START, END, False),  # first day, inclusive
        (END, END, False),  # last day, inclusive
        (date(2026, 1, 1), END, True),  # the day after the end
        (date(2040, 1, 1), None, False),  # no end date: until revoked
    ],
)
def test_period_boundaries(db: Database, on: date, end: date | None, allowed: bool) -> None:
    _ban(db, end_date=end)
    assert _allowed(db, on=on) is allowed


@pytest.mark.parametrize("restricted", ACTIONS)
def test_each_restricted_action(db: Database, restricted: str) -> None:
    _ban(db, restricted_actions=[restricted])
    for action in ACTIONS:
        assert _allowed(db, action=action) is (action != restricted), (restricted, action)


def test_revoked_and_proposed_entries_restrict_nothing(db: Database) -> None:
    entry_id = _ban(db)
    assert not _allowed(db)
    with db.transaction() as session:
        service.revoke_blacklist(db_session=session, actor="chief", entry_id=entry_id, reason="信用修复")
    assert _allowed(db)
    _ban(db, status="proposed", decision_no=None)
    assert _allowed(db)


def test_person_ban_and_reasons(db: Database) -> None:
    person = pid(1)
    _ban(db, subject_type="person", subject_id=person, industries_in_scope=["building"])
    with db.session() as session:
        result = gate.check(
            db_session=session,
            lake=LakeCredit(),
            subject_type="person",
            subject_id=person.lower(),
            action="submit_bid",
            region="330106",
            industry="building",
            on=date(2025, 6, 1),
        )
    assert not result.allowed and result.subject_id == person
    (reason,) = result.reasons
    assert (reason.code, reason.until, reason.source.startswith("internal:credit_blacklist/")) == (
        "blacklisted",
        END,
        True,
    )
    assert "投标" in reason.zh and "bid submission" in reason.en


@pytest.mark.parametrize(
    "change",
    [
        {"restricted_actions": ["sleep"]},
        {"restricted_actions": []},
        {"scope_region": "3"},
        {"industries_in_scope": ["housing"]},
        {"end_date": date(2024, 1, 1)},
        {"decision_no": None},
    ],
)
def test_bad_entries_are_refused(db: Database, change: dict[str, Any]) -> None:
    with pytest.raises(UserError):
        _ban(db, **change)


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("限制参与依法必须招标项目投标", {"submit_bid"}),
        ("限制参与招标投标活动", set(ACTIONS)),
        ("限制报名、获取招标文件", {"register", "buy_documents"}),
        ("register,submit_bid", {"register", "submit_bid"}),
        ("限制担任评标专家", set()),
    ],
)
def test_actions_of_credit_centre_texts(text: str, actions: set[str]) -> None:
    assert actions_of(text) == actions


def test_kind_of_reasons() -> None:
    assert [kind_of(r) for r in ("围标串标", "行贿", "出借资质", "提供虚假材料", "拖欠农民工工资")] == [
        "collusion",
        "bribery",
        "lending",
        "false_materials",
        "other",
    ]

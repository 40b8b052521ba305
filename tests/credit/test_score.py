"""Industry credit scores: deductions per kind, doubled when serious, full weight for a year and then
decaying linearly to nothing at three years (docs/credit.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tenderwatch.credit import flows, service
from tenderwatch.credit.lake import LakeCredit, LakeCreditRecord
from tenderwatch.credit.score import score, weight
from tenderwatch.db import Database
from tests.credit.conftest import uscc, violation

A = uscc(1)
DAY = date(2024, 1, 10)


def _score(db: Database, industry: str, on: date, lake: LakeCredit | None = None) -> tuple[float, str]:
    with db.session() as session:
        records = service.records_of(db_session=session, subject_id=A)
    result = score(industry=industry, on=on, records=records, lake=lake, subject_id=A)
    return result.value, result.grade


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [(-1, 0.0), (0, 1.0), (364, 1.0), (365, 1.0), (730, 0.5), (1094, 1 / 730), (1095, 0.0)],
)
def test_weight(age_days: int, expected: float) -> None:
    assert weight(DAY, DAY + timedelta(days=age_days)) == pytest.approx(expected)


def test_a_record_lowers_its_industry_score_and_decays(db: Database) -> None:
    assert _score(db, "building", DAY) == (100.0, "A")
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, DAY))
    assert _score(db, "building", DAY - timedelta(days=1)) == (100.0, "A")  # as of before the decision
    assert _score(db, "building", DAY) == (80.0, "B")  # collusion: −20
    assert _score(db, "building", DAY + timedelta(days=364)) == (80.0, "B")
    assert _score(db, "building", DAY + timedelta(days=730)) == (90.0, "A")  # half weight
    assert _score(db, "building", DAY + timedelta(days=1095)) == (100.0, "A")
    assert _score(db, "transport", DAY) == (100.0, "A")  # industry scores are separate


def test_serious_record_counts_double(db: Database) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, DAY))
        flows.record_violation(
            db_session=session, actor="r", violation=violation(A, DAY + timedelta(days=365), decision_no="D2")
        )
    # first record at 365 days: weight 1 → −20; the serious second: −40
    assert _score(db, "building", DAY + timedelta(days=365)) == (40.0, "D")


@pytest.mark.parametrize(
    ("kind", "expected"), [("bribery", 75.0), ("lending", 85.0), ("expert_misconduct", 90.0), ("other", 95.0)]
)
def test_deduction_per_kind(db: Database, kind: str, expected: float) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, DAY, kind=kind))
    assert _score(db, "building", DAY)[0] == expected


def test_credit_centre_records_count_in_every_industry_and_good_conduct_offsets(db: Database) -> None:
    bad = LakeCreditRecord("XY1", A, None, False, "false_materials", "提供虚假业绩", "N1", "省信用中心", DAY)
    good = LakeCreditRecord("XY2", A, None, True, "other", "获评优质工程", "N2", "省信用中心", DAY)
    lake = LakeCredit(records=(bad, good))
    assert _score(db, "water", DAY, lake) == (87.0, "B")  # −15 + 2
    assert _score(db, "transport", DAY, lake) == (87.0, "B")
    assert _score(db, "water", DAY, LakeCredit(records=(good,))) == (100.0, "A")  # capped at 100

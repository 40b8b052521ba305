"""Bad-conduct records from 查实 conclusions, the serious-case rule (two collusion findings within three
years, Regulations Art. 67) and the blacklist entry it proposes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit.models import AuditEvent
from tenderwatch.credit import flows, gate, service
from tenderwatch.credit.lake import LakeCredit, LakeCreditRecord
from tenderwatch.credit.models import CreditEvent
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tests.credit.conftest import uscc, violation

A = uscc(1)
FIRST = date(2023, 3, 1)


def test_record_is_written_with_events_and_audit(db: Database) -> None:
    with db.transaction() as session:
        result = flows.record_violation(db_session=session, actor="reviewer-1", violation=violation(A, FIRST))
        record_id = result.record.id
    assert not result.serious and result.proposal is None
    with db.session() as session:
        (record,) = service.records_of(db_session=session, subject_id=A)
        assert (record.id, record.kind, record.industry, record.region_code) == (
            record_id,
            "collusion",
            "building",
            "330106",
        )
        assert record.published_until == date(2026, 3, 1)  # three years' publication by default
        events = session.scalars(select(CreditEvent).where(CreditEvent.subject_id == A)).all()
        assert [(e.action, e.record_id, e.actor) for e in events] == [
            ("record_added", record_id, "reviewer-1")
        ]
        audit = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "credit_record")).all()
        assert [(a.subject_id, a.details["op"]) for a in audit] == [(str(record_id), "record_added")]
        assert A not in str(audit[0].details)  # the subject's identifier stays out of the chained details


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"subject_id": A[:-1] + ("0" if A[-1] != "0" else "1")}, "Invalid unified social credit code"),
        ({"decision_sha256": "abc"}, "decision number and its file hash"),
        ({"decision_sha256": "z" * 64}, "decision number and its file hash"),
        ({"decision_no": "  "}, "decision number and its file hash"),
        ({"kind": "littering"}, "Unknown kind"),
        ({"industry": "housing"}, "Unknown industry"),
        ({"region_code": "33"}, "6-digit region code"),
    ],
)
def test_bad_input_is_refused(db: Database, change: dict[str, str], message: str) -> None:
    with db.transaction() as session, pytest.raises(UserError, match=message):
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST, **change))


def test_one_decision_makes_one_record(db: Database) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST))
    with db.transaction() as session, pytest.raises(UserError, match="already has a record"):
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST))


@pytest.mark.parametrize(
    ("second", "serious"),
    [
        (date(2026, 3, 1), True),  # exactly three years later: still "within three years"
        (date(2026, 3, 2), False),  # three years and one day
        (date(2023, 3, 1), True),  # the same day, another decision
    ],
)
def test_second_collusion_within_three_years_is_serious(db: Database, second: date, serious: bool) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST))
        result = flows.record_violation(
            db_session=session, actor="r", violation=violation(A, second, decision_no="第二份决定")
        )
    assert result.serious is serious
    assert result.record.serious is serious
    assert (result.proposal is not None) is serious


def test_other_kinds_do_not_make_collusion_serious(db: Database) -> None:
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST, kind="lending"))
        result = flows.record_violation(
            db_session=session, actor="r", violation=violation(A, date(2024, 1, 1))
        )
        lending = flows.record_violation(
            db_session=session, actor="r", violation=violation(A, date(2024, 2, 1), kind="lending")
        )
    assert not result.serious and not lending.serious


def _lake_record(rid: str, subject: str, reason: str, day: date, decision_no: str | None) -> LakeCreditRecord:
    return LakeCreditRecord(
        rid,
        subject,
        None,
        False,
        "collusion" if "串" in reason else "other",
        reason,
        decision_no,
        "省住建厅",
        day,
    )


def test_credit_centre_findings_count_once(db: Database) -> None:
    ours = violation(A, date(2025, 1, 10))
    echo = LakeCredit(records=(_lake_record("XY1", A, "串通投标", ours.decided_on, ours.decision_no),))
    earlier = LakeCredit(records=(_lake_record("XY2", A, "围标串标", date(2024, 5, 1), "甬建罚〔2024〕9号"),))
    with db.transaction() as session:
        # The lake echoing this very decision back is not a second finding …
        assert not flows.record_violation(db_session=session, actor="r", violation=ours, lake=echo).serious
    with db.transaction() as session:
        # … but another regulator's decision delivered by the credit centre is.
        result = flows.record_violation(
            db_session=session, actor="r", violation=violation(uscc(2), date(2025, 1, 10)), lake=earlier
        )
        assert not result.serious  # other subject
        result = flows.record_violation(
            db_session=session,
            actor="r",
            violation=violation(A, date(2025, 2, 1), decision_no="X2"),
            lake=earlier,
        )
    assert result.serious
    assert set(result.prior_findings) == {"internal:credit_record/1", "lake:credit_records/XY2"}


def test_serious_case_proposes_a_statutory_ban_that_binds_only_when_confirmed(db: Database) -> None:
    second = date(2025, 6, 30)
    with db.transaction() as session:
        flows.record_violation(db_session=session, actor="r", violation=violation(A, FIRST))
        result = flows.record_violation(
            db_session=session, actor="r", violation=violation(A, second, decision_no="D2")
        )
        assert result.proposal is not None
        entry_id = result.proposal.id
    with db.session() as session:
        entry = service.get_entry(db_session=session, entry_id=entry_id)
        assert (entry.status, entry.restricted_actions, entry.scope_region, entry.industries) == (
            "proposed",
            ["submit_bid"],
            "33",
            [],
        )
        assert (entry.start_date, entry.end_date) == (second, date(2026, 6, 29))
        assert "第五十三条" in entry.legal_basis and (entry.min_months, entry.max_months) == (12, 24)
        assert _blocked(session, date(2025, 7, 1)) is False  # a proposal restricts nothing
    with db.transaction() as session, pytest.raises(UserError, match="statutory 12–24 months"):
        flows.confirm_proposal(
            db_session=session,
            actor="chief",
            entry_id=entry_id,
            decision_no="浙建罚〔2025〕1号",
            start_date=second,
            months=30,
        )
    with db.transaction() as session:
        flows.confirm_proposal(
            db_session=session,
            actor="chief",
            entry_id=entry_id,
            decision_no="浙建罚〔2025〕1号",
            start_date=second,
            months=24,
        )
    with db.session() as session:
        assert _blocked(session, date(2027, 6, 29)) is True  # last day of 24 months, inclusive
        assert _blocked(session, date(2027, 6, 30)) is False
        actions = [e.action for e in service.events_of(db_session=session, subject_id=A)]
    assert actions == [
        "record_added",
        "record_added",
        "serious_marked",
        "blacklist_proposed",
        "blacklist_confirmed",
    ]


def _blocked(session: Session, on: date) -> bool:
    result = gate.check(
        db_session=session,
        lake=LakeCredit(),
        subject_type="company",
        subject_id=A,
        action="submit_bid",
        region="330206",
        industry="water",
        on=on,
    )
    return not result.allowed

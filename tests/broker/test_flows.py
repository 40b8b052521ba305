"""Manual entries, judgements (append-only, reversible), merge and split, events and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.broker import flows, service
from tenderwatch.broker.matching import screen_bid
from tenderwatch.broker.models import BrokerEvent, BrokerJudgement
from tenderwatch.db import Database
from tenderwatch.errors import UserError

BROKER_ID = "330112198206143765"


def _manual(db: Database, name: str = "王泽泽", **numbers: list[str]) -> int:
    with db.transaction() as session:
        entry = flows.create_manual_entry(
            session, actor="inspector1", display_name=name, reason="举报线索 tip-off", **numbers
        )
        return entry.id


def test_manual_entry_keeps_canonical_identifiers_and_rejects_invalid_ones(db: Database) -> None:
    entry_id = _manual(
        db, id_numbers=[BROKER_ID], phones=["+86 185-5855-9471"], accounts=["6222 0000 1111 2222"]
    )
    with db.session() as session:
        entry = service.get_entry(db_session=session, entry_id=entry_id)
        assert entry is not None and (entry.source, entry.status, entry.created_by) == (
            "manual",
            "candidate",
            "inspector1",
        )
        assert {(i.kind, i.value) for i in entry.identifiers} == {
            ("id_number", BROKER_ID),
            ("phone", "18558559471"),
            ("account", "6222000011112222"),
            ("name", "王泽泽"),
        }
        events = session.scalars(select(BrokerEvent).where(BrokerEvent.entry_id == entry_id)).all()
        assert [e.kind for e in events] == ["created"]
        audit = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "broker_entry")).all()
        assert [(a.actor, a.action, a.details["kind"]) for a in audit] == [
            ("inspector1", "change", "created")
        ]
        assert BROKER_ID not in str(audit[0].details)  # identifiers go to the erasable personal payload
    with pytest.raises(UserError), db.transaction() as session:
        flows.create_manual_entry(
            session, actor="x", display_name="李四", reason="r", id_numbers=["330112198206143764"]
        )
    with pytest.raises(UserError), db.transaction() as session:
        flows.create_manual_entry(session, actor="x", display_name="李四", reason=" ")


def test_judgements_are_kept_and_the_latest_decides(db: Database) -> None:
    entry_id = _manual(db, phones=["13800001234"])
    steps = [
        ("unsure", "unsure", "regulator1"),
        ("same", "confirmed", "regulator2"),
        ("not_same", "rejected", "inspector1"),
    ]
    for verdict, status, actor in steps:
        with db.transaction() as session:
            flows.judge(session, entry_id=entry_id, verdict=verdict, actor=actor, note=f"note {verdict}")
        with db.session() as session:
            entry = service.get_entry(db_session=session, entry_id=entry_id)
            assert entry is not None and entry.status == status
    with db.session() as session:
        # rejected: out of screening
        assert screen_bid(service.load_register(session), phones=["13800001234"]) == []
    # Reversal is one more judgement; nothing is deleted.
    with db.transaction() as session:
        flows.judge(session, entry_id=entry_id, verdict="same", actor="inspector2", note="new evidence")
    with db.session() as session:
        history = service.judgements_of(session, [entry_id])
        assert [(j.verdict, j.actor) for j in history] == [
            ("unsure", "regulator1"),
            ("same", "regulator2"),
            ("not_same", "inspector1"),
            ("same", "inspector2"),
        ]
        assert all(j.at is not None for j in history)
        entry = service.get_entry(db_session=session, entry_id=entry_id)
        assert entry is not None and entry.status == "confirmed"
        [match] = screen_bid(service.load_register(session), phones=["138 0000 1234"])
        assert match.entry_status == "confirmed"
        kinds = [e.kind for e in service.events_of(session, [entry_id])]
        assert kinds.count("judged") == 4 and kinds.count("status_changed") == 4
    with pytest.raises(UserError), db.transaction() as session:
        flows.judge(session, entry_id=entry_id, verdict="maybe", actor="x")


def test_same_person_merges_two_entries_keeping_both_histories_and_can_be_split(db: Database) -> None:
    first = _manual(db, "王泽泽", id_numbers=[BROKER_ID])
    second = _manual(db, "王泽", phones=["18558559471"])
    with db.transaction() as session:
        flows.judge(session, entry_id=second, verdict="unsure", actor="regulator1")
        flows.judge(
            session,
            entry_id=first,
            other_entry_id=second,
            verdict="same",
            actor="regulator2",
            note="same phone",
        )
    with db.session() as session:
        register = service.load_register(session)
        assert set(register.entries) == {first}
        assert {m.rule for m in screen_bid(register, phones=["18558559471"], persons=[BROKER_ID])} == {
            "exact_phone",
            "exact_id",
        }
        root = service.get_entry(db_session=session, entry_id=first)
        assert root is not None
        members = service.merged_members(session, root)
        assert [m.id for m in members] == [first, second]
        history = service.judgements_of(session, [m.id for m in members])
        assert [(j.entry_id, j.other_entry_id, j.verdict) for j in history] == [
            (second, None, "unsure"),
            (first, second, "same"),
        ]
    with db.transaction() as session:
        flows.judge(session, entry_id=second, other_entry_id=first, verdict="not_same", actor="inspector1")
    with db.session() as session:
        assert set(service.load_register(session).entries) == {first, second}
        kinds = [e.kind for e in service.events_of(session, [first, second])]
        assert kinds.count("merged") == 2 and kinds.count("split") == 2
        assert len(session.scalars(select(BrokerJudgement)).all()) == 3

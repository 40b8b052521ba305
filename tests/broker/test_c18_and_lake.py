"""Candidates from a real C18 run on the tiny province, and the batch screen of its lake."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tenderwatch.broker import flows, service
from tenderwatch.broker.lake_screen import screen_lake
from tenderwatch.broker.models import BrokerEntry, BrokerEvent
from tenderwatch.engine.models import Hit
from tests.detection.conftest import Province


def _planted(province: Province) -> dict[str, list[str]]:
    [scheme] = [s for s in province.truth["schemes"] if s["model"] == "C18"]
    return scheme  # type: ignore[no-any-return]


def test_candidates_from_c18_are_idempotent_and_carry_their_source(tiny_c18: Province) -> None:
    planted = _planted(tiny_c18)
    [person] = planted["persons"]
    db = tiny_c18.db
    con = tiny_c18.con()
    try:
        with db.transaction() as session:
            first = flows.collect_candidates(session, con=con)
        with db.transaction() as session:
            second = flows.collect_candidates(session, con=con)
    finally:
        con.close()
    assert first.created + first.updated + first.unchanged >= 1  # another test may have collected first
    assert (second.created, second.updated) == (0, 0)
    with db.session() as session:
        entries = session.scalars(select(BrokerEntry).where(BrokerEntry.source == "c18")).all()
        subjects = set(session.scalars(select(Hit.subject_id).where(Hit.model_id == "C18")))
        assert {e.source_key for e in entries} == {f"C18|{s}" for s in subjects}
        [entry] = [e for e in entries if e.source_key == f"C18|{person}"]
        assert entry.status == "candidate"  # waits for a person's judgement
        assert entry.warning_ids and entry.hit_ids
        kinds = {i.kind for i in entry.identifiers}
        assert {"id_number", "phone", "name"} <= kinds
        assert all(section in entry.reason for section in planted["sections"])
        events = session.scalars(select(BrokerEvent).where(BrokerEvent.entry_id == entry.id)).all()
        assert [e.kind for e in events] == ["created"]


def test_batch_screen_finds_the_planted_brokers_bids(tiny_c18: Province) -> None:
    planted = _planted(tiny_c18)
    [person] = planted["persons"]
    db = tiny_c18.db
    con = tiny_c18.con()
    try:
        with db.transaction() as session:
            flows.collect_candidates(session, con=con)
        with db.session() as session:
            register = service.load_register(session)
        matches = screen_lake(con, register, date(2000, 1, 1))
        assert screen_lake(con, register, date(2100, 1, 1)) == []  # nothing opened after that date
    finally:
        con.close()
    [entry_id] = [e.entry_id for e in register.entries.values() if person in e.id_numbers]
    mine = [m for m in matches if m.entry_id == entry_id]
    by_section = {m.section_code for m in mine if m.strong}
    assert set(planted["sections"]) <= by_section
    hit_bidders = {(m.section_code, m.bidder_uscc) for m in mine if m.rule == "exact_id"}
    assert {b for _, b in hit_bidders} & set(planted["companies"])
    assert {m.field for m in mine} >= {"operator_id", "operator_phone", "operator_name"}
    assert all(m.dataset in {"bids", "bid_guarantees", "bid_personnel", "bid_bonds"} for m in matches)
    # Every name match on this entry sits beside a number of it in the same bid, hence strong.
    assert all(m.strong for m in mine)

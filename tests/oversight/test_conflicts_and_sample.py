"""Conflicts of interest through the correlation graph (→ recusal required, conclusion refused) and the
reproducible re-verification sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderwatch.auth import admin
from tenderwatch.case import flows, verify
from tenderwatch.case.calendar import local_date
from tenderwatch.case.models import Case
from tenderwatch.case.schemas import ConclusionIn
from tenderwatch.db import Database, utcnow
from tenderwatch.errors import UserError
from tenderwatch.graph.flows import build_graph
from tenderwatch.oversight import sampling, service
from tenderwatch.oversight.conflicts import load_identities
from tests.case.conftest import answer_all, to_verifying, user
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import csv, pid, uscc
from tests.oversight.conftest import BAD, add_users, build_selective, open_one

OWNED, STRANGER = uscc(40), uscc(41)
HANDLER_ID = pid(7)


def tiny_lake(root: Path) -> object:
    """The Xihu handler's person holds 30 % of OWNED; STRANGER has no relation to him."""
    companies = [
        {"uscc": c, "name": f"公司{c[-4:]}", "legal_rep_name": "李四", "founded_on": "2010-01-01"}
        for c in (OWNED, STRANGER)
    ]
    shareholders = [
        {
            "company_uscc": OWNED,
            "holder_id": HANDLER_ID,
            "holder_type": "person",
            "holder_name": "王五",
            "share_pct": "30",
        }
    ]
    return lake_from_csv(
        root, {"companies": csv("companies", companies), "shareholders": csv("shareholders", shareholders)}
    )


def test_a_handler_who_holds_shares_in_the_company_must_recuse(seeded: Database, tmp_path: Path) -> None:
    add_users(seeded)
    lake = tiny_lake(tmp_path / "lake")
    graph = build_graph(lake.con)  # type: ignore[attr-defined]
    with seeded.transaction() as session:
        admin.add_identity(db_session=session, actor="cli:root", username=BAD, id_number=HANDLER_ID.lower())
    with seeded.session() as session:
        identities = load_identities(session)
    today = local_date(utcnow())
    linked = open_one(seeded, "330106", OWNED, today)
    clean = open_one(seeded, "330106", STRANGER, today)
    for case_id in (linked, clean):
        to_verifying(seeded, case_id, BAD)
    with seeded.transaction() as session:
        found = service.record_conflicts(
            db_session=session, user=user(session, "insp"), graph=graph, identities=identities
        )
    assert [(c.case_id, c.username, c.role, c.company, c.relations) for c in found] == [
        (linked, BAD, "handler", OWNED, ("shareholder",))
    ]
    with seeded.transaction() as session:  # scanning again records nothing new
        service.record_conflicts(db_session=session, user=None, graph=graph, identities=identities)
    with seeded.session() as session:
        events = [e for e in session.get_one(Case, linked).events if e.kind == service.RECUSAL]
        assert len(events) == 1 and events[0].detail["company"] == OWNED and events[0].actor == "insp"
        assert HANDLER_ID not in str(events[0].detail)  # the ID number is not copied into the case
        assert not [e for e in session.get_one(Case, clean).events if e.kind == service.RECUSAL]
    doc = answer_all(seeded, linked, BAD)
    with seeded.transaction() as session, pytest.raises(UserError, match="回避"):
        case = session.get_one(Case, linked)
        verify.submit(
            db_session=session,
            user=user(session, BAD),
            case=case,
            version=case.version,
            conclusion=ConclusionIn(outcome="unfounded", benign_id="public_terminal", evidence_ids=[doc]),
        )


def test_the_sample_is_reproducible_and_within_jurisdiction(seeded: Database) -> None:
    ids = build_selective(seeded)
    period = local_date(utcnow()).isoformat()[:7]
    unfounded = sorted([ids[BAD][0], *ids[BAD][1:]] + [v[0] for k, v in ids.items() if k != BAD])
    with seeded.transaction() as session:
        city = service.draw_sample(db_session=session, user=user(session, "insp"), period=period)
        xihu = service.draw_sample(db_session=session, user=user(session, "insp_xihu"), period=period)
        ningbo = service.draw_sample(db_session=session, user=user(session, "insp_ningbo"), period=period)
    assert len(city) == 1 and set(city) <= set(unfounded)  # 9 cases: 10 % rounds up to one
    assert len(xihu) == 1 and set(xihu) <= set(ids[BAD])
    assert ningbo == []
    with seeded.transaction() as session:  # the same draw again: same cases, no second event
        again = service.draw_sample(db_session=session, user=user(session, "insp"), period=period)
    assert again == city
    with seeded.session() as session:
        marked = service.sampled(db_session=session, user=user(session, "insp"), period=period)
        assert sorted(c.id for c, _ in marked) == sorted(set(city) | set(xihu))
        assert sum(1 for e in session.get_one(Case, city[0]).events if e.kind == service.SAMPLED) == 1
    assert sampling.draw(unfounded, period, "3301:") == city
    with seeded.transaction() as session:  # the inspector reopens a sampled case from its page's action
        case = session.get_one(Case, city[0])
        flows.fire(
            db_session=session,
            user=user(session, "insp"),
            case=case,
            action="reopen",
            version=case.version,
            reason="抽查复核",
        )
        assert case.state == "reopened" and case.conclusion is None
    assert sampling.draw(reversed(unfounded), period, "3301:") == city  # order of the ids does not matter


def test_sample_size() -> None:
    assert [sampling.sample_size(n) for n in (0, 1, 9, 10, 11, 25)] == [0, 1, 1, 1, 2, 3]

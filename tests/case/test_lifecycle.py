"""Transitions with the right roles and relationships, the rules of conclusion and review, the credit
hook, and optimistic concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.case import flows, verify
from tenderwatch.case.models import Case, CaseEvent
from tenderwatch.case.schemas import ConclusionIn, Subject
from tenderwatch.case.service import StaleCase
from tenderwatch.common.identifiers import make_uscc
from tenderwatch.credit import gate
from tenderwatch.credit.flows import confirm_proposal
from tenderwatch.credit.lake import LakeCredit
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning
from tests.case.conftest import OpenCase, answer_all, to_verifying, user


def fire(
    db: Database,
    case_id: int,
    who: str | None,
    action: str,
    reason: str = "",
    recipient: str | None = None,
    into_case_id: int | None = None,
) -> Case:
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        actor = user(session, who) if who else None
        return flows.fire(
            db_session=session,
            user=actor,
            case=case,
            action=action,
            version=case.version,
            reason=reason,
            recipient=recipient,
            into_case_id=into_case_id,
        )


def submit(db: Database, case_id: int, who: str, conclusion: ConclusionIn) -> Case:
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        return verify.submit(
            db_session=session,
            user=user(session, who),
            case=case,
            version=case.version,
            conclusion=conclusion,
        )


def review(db: Database, case_id: int, who: str, approve: bool, reason: str = "") -> list[int]:
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        results = verify.review(
            db_session=session,
            user=user(session, who),
            case=case,
            version=case.version,
            approve=approve,
            reason=reason,
            lake=LakeCredit(),
        )
        return [r.record.id for r in results]


def state(db: Database, case_id: int) -> str:
    with db.session() as session:
        return session.get_one(Case, case_id).state


def test_every_transition_with_its_role(seeded: Database, open_case: OpenCase) -> None:
    case_id = open_case()
    assert state(seeded, case_id) == "assigned"
    with pytest.raises(UserError):  # an inspector never signs for a case
        fire(seeded, case_id, "insp", "accept")
    with pytest.raises(UserError):  # another industry's bureau
        fire(seeded, case_id, "reg_water", "accept")
    fire(seeded, case_id, "reg", "accept")
    with pytest.raises(UserError):  # only the handler starts verification
        fire(seeded, case_id, "reg2", "start")
    fire(seeded, case_id, "reg", "start")
    fire(seeded, case_id, "insp", "comment", reason="请重点核查报价锁")
    doc = answer_all(seeded, case_id)
    submit(
        seeded,
        case_id,
        "reg",
        ConclusionIn(outcome="unverifiable", reason="当事人已注销", evidence_ids=[doc]),
    )
    assert state(seeded, case_id) == "feedback_submitted"
    with pytest.raises(UserError):  # a return needs reasons
        review(seeded, case_id, "rev", approve=False)
    review(seeded, case_id, "rev", approve=False, reason="补充银行流水")
    assert state(seeded, case_id) == "verifying"
    submit(
        seeded,
        case_id,
        "reg",
        ConclusionIn(outcome="unverifiable", reason="银行流水无法调取", evidence_ids=[doc]),
    )
    review(seeded, case_id, "rev", approve=True)
    assert state(seeded, case_id) == "closed"
    with pytest.raises(UserError):
        fire(seeded, case_id, "insp", "reopen")  # no reason
    fire(seeded, case_id, "insp", "reopen", reason="抽查复核")
    assert state(seeded, case_id) == "reopened"
    fire(seeded, case_id, "reg", "start")
    fire(seeded, case_id, "insp", "transfer", recipient="杭州市纪委监委")
    assert state(seeded, case_id) == "transferred"
    with seeded.session() as session:
        kinds = [
            e.kind
            for e in session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        ]
        assert kinds[:4] == ["generated", "assign", "accept", "start"] and kinds[-1] == "transfer"
        audited = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "case")).all()
        assert len(audited) == len(kinds) and {a.action for a in audited} == {"change"}
        assert session.get_one(Warning, session.get_one(Case, case_id).warning_id).status == "transferred"


def test_the_reviewer_must_not_be_the_verifier(seeded: Database, open_case: OpenCase) -> None:
    case_id = open_case()
    to_verifying(seeded, case_id, handler="selfrev")
    doc = answer_all(seeded, case_id, handler="selfrev")
    submit(
        seeded,
        case_id,
        "selfrev",
        ConclusionIn(outcome="unverifiable", reason="无法联系", evidence_ids=[doc]),
    )
    with pytest.raises(UserError, match="approve"):
        review(seeded, case_id, "selfrev", approve=True)
    with pytest.raises(UserError):
        review(seeded, case_id, "selfrev", approve=False, reason="自己退回")
    review(seeded, case_id, "rev", approve=True)
    assert state(seeded, case_id) == "closed"


def test_conclusion_needs_every_item_and_the_guides_requirements(
    seeded: Database, open_case: OpenCase
) -> None:
    case_id = open_case()
    to_verifying(seeded, case_id)
    with pytest.raises(UserError, match="Unanswered"):
        submit(seeded, case_id, "reg", ConclusionIn(outcome="unverifiable", reason="x"))
    doc = answer_all(seeded, case_id)
    with pytest.raises(UserError, match="benign"):  # 查否 without a benign explanation
        submit(seeded, case_id, "reg", ConclusionIn(outcome="unfounded", evidence_ids=[doc]))
    with pytest.raises(UserError, match="evidence"):  # 查否 without proof
        submit(seeded, case_id, "reg", ConclusionIn(outcome="unfounded", benign_id="public_terminal"))
    with pytest.raises(UserError, match="receiving body"):
        submit(seeded, case_id, "reg", ConclusionIn(outcome="transferred", evidence_ids=[doc]))
    submit(
        seeded,
        case_id,
        "reg",
        ConclusionIn(outcome="unfounded", benign_id="public_terminal", evidence_ids=[doc]),
    )
    assert state(seeded, case_id) == "feedback_submitted"


def test_merge_needs_a_shared_entity(seeded: Database, open_case: OpenCase) -> None:
    first, same, other = (
        open_case(entities=("A", "B")),
        open_case(entities=("B", "C")),
        open_case(entities=("X",)),
    )
    fire(seeded, same, "reg", "accept")
    with pytest.raises(UserError, match="share no entity"):
        fire(seeded, other, "insp", "merge", into_case_id=first)
    fire(seeded, same, "insp", "merge", into_case_id=first)
    with seeded.session() as session:
        merged = session.get_one(Case, same)
        assert (merged.state, merged.merged_into) == ("merged", first)


def test_confirmed_journey_writes_credit_and_the_gate_blocks(seeded: Database, open_case: OpenCase) -> None:
    import random

    company = make_uscc("330106", random.Random(7))
    case_id = open_case()
    to_verifying(seeded, case_id)
    answer_all(seeded, case_id)
    with seeded.transaction() as session:
        case = session.get_one(Case, case_id)
        decision = flows.save_attachment(
            db_session=session,
            settings=seeded.settings,
            user=user(session, "reg"),
            case=case,
            filename="处罚决定书.pdf",
            data=b"decision",
        )
    conclusion = ConclusionIn(
        outcome="confirmed",
        notes="串通投标（实施条例第四十条第一项）",
        decision_no="西建罚〔2026〕8号",
        decision_attachment_id=decision.id,
        decided_on=date(2026, 10, 20),
        issuer="西湖区住房和城乡建设局",
        subjects=[Subject(subject_id=company, name="甲公司")],
    )
    submit(seeded, case_id, "reg", conclusion)
    records = review(seeded, case_id, "rev", approve=True)
    assert state(seeded, case_id) == "closed" and len(records) == 1
    # a second confirmed collusion within three years is serious and proposes a ban; confirmed, the gate blocks
    case2 = open_case()
    to_verifying(seeded, case2)
    answer_all(seeded, case2)
    with seeded.transaction() as session:
        case = session.get_one(Case, case2)
        decision2 = flows.save_attachment(
            db_session=session,
            settings=seeded.settings,
            user=user(session, "reg"),
            case=case,
            filename="处罚决定书2.pdf",
            data=b"decision 2",
        )
    second = conclusion.model_copy(
        update={"decision_no": "西建罚〔2026〕9号", "decision_attachment_id": decision2.id}
    )
    submit(seeded, case2, "reg", second)
    with seeded.transaction() as session:
        case = session.get_one(Case, case2)
        [result] = verify.review(
            db_session=session,
            user=user(session, "rev"),
            case=case,
            version=case.version,
            approve=True,
            reason="",
            lake=LakeCredit(),
        )
        assert result.serious and result.proposal is not None
        proposal_id = result.proposal.id
    with seeded.transaction() as session:
        confirm_proposal(
            db_session=session,
            actor="rev",
            entry_id=proposal_id,
            decision_no="浙发改罚〔2026〕1号",
            start_date=date(2026, 10, 21),
            months=12,
        )
    with seeded.session() as session:
        answer = gate.check(
            db_session=session,
            lake=LakeCredit(),
            subject_type="company",
            subject_id=company,
            action="submit_bid",
            region="330106",
            industry="building",
            on=date(2026, 11, 1),
        )
        assert not answer.allowed and answer.reasons[0].code == "blacklisted"


def test_two_people_writing_at_once_never_lose_an_update(seeded: Database, open_case: OpenCase) -> None:
    case_id = open_case()
    first, second = seeded.session(), seeded.session()
    try:
        a, b = first.get_one(Case, case_id), second.get_one(Case, case_id)
        assert a.version == b.version
        stale = b.version
        flows.fire(
            db_session=first,
            user=user(first, "insp"),
            case=a,
            action="comment",
            version=a.version,
            reason="甲",
        )
        first.commit()
        with pytest.raises(StaleCase) as refused:
            flows.fire(
                db_session=second, user=user(second, "reg"), case=b, action="accept", version=b.version
            )
        assert "刷新" in str(refused.value) and "reload" in str(refused.value)
        second.rollback()
        # the stale client's version number is refused too, before anything is tried
        with pytest.raises(StaleCase):
            flows.fire(
                db_session=second,
                user=user(second, "reg"),
                case=second.get_one(Case, case_id),
                action="accept",
                version=stale,
            )
    finally:
        first.close()
        second.close()
    with seeded.session() as session:
        case = session.get_one(Case, case_id)
        assert case.state == "assigned" and [
            e.detail.get("reason") for e in case.events if e.kind == "comment"
        ] == ["甲"]


def test_reopen_gives_fresh_deadlines_and_clears_supervision(seeded: Database, open_case: OpenCase) -> None:
    from tenderwatch.case import deadlines
    from tenderwatch.db import utcnow

    today = utcnow().date()
    case_id = open_case(grade="yellow")  # assigned 2026-09-30: its due date lies in the past
    to_verifying(seeded, case_id)
    with seeded.transaction() as session:
        assert case_id in deadlines.tick(db_session=session, today=today).overdue
    doc = answer_all(seeded, case_id)
    submit(seeded, case_id, "reg", ConclusionIn(outcome="unverifiable", reason="已注销", evidence_ids=[doc]))
    review(seeded, case_id, "rev", approve=True)
    reopened = fire(seeded, case_id, "insp", "reopen", reason="抽查复核")
    expected, _ = deadlines.feedback_due(seeded.settings, "yellow", today)
    assert (reopened.due_date, reopened.overdue, reopened.supervised_by) == (expected, False, None)
    assert reopened.due_date > today
    with seeded.transaction() as session:  # the next tick leaves the reopened case alone
        assert deadlines.tick(db_session=session, today=today).overdue == []
        last = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc())
        ).first()
        assert last is not None and last.detail["due_date"] == str(expected)

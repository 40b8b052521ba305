"""The answer is given once and never changed (service, ORM, database); identity only for the handler."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tenderwatch.audit.models import AuditEvent
from tenderwatch.case.models import Case
from tenderwatch.complaint import flows, service
from tenderwatch.complaint.models import AnswerImmutable, Complaint, ComplaintAnswer
from tenderwatch.complaint.schemas import HIDDEN, Identity
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tests.case.conftest import to_verifying, user
from tests.complaint.conftest import Filer


def _answer(
    db: Database, complaint_id: int, who: str = "reg", words: str = "经核查，投诉成立，责令改正。"
) -> None:
    with db.transaction() as session:
        flows.answer(
            db_session=session,
            settings=db.settings,
            user=user(session, who),
            complaint=session.get_one(Complaint, complaint_id),
            text=words,
        )


def test_answer_once_then_only_addenda(seeded: Database, file_one: Filer) -> None:
    filed = file_one()
    cid = filed.complaint.id
    with pytest.raises(UserError):
        _answer(seeded, cid)  # nobody has signed for the case yet
    to_verifying(seeded, filed.case.id)
    with pytest.raises(UserError):
        _answer(seeded, cid, who="reg2")  # same department, not the handler
    _answer(seeded, cid)
    with seeded.session() as session:
        assert session.get_one(Case, filed.case.id).state == "feedback_submitted"
    with pytest.raises(UserError):
        _answer(seeded, cid, words="改口")
    with pytest.raises(AnswerImmutable), seeded.transaction() as session:
        row = session.scalars(select(ComplaintAnswer)).one()
        row.text = "改口"
    with pytest.raises(AnswerImmutable), seeded.transaction() as session:
        session.delete(session.scalars(select(ComplaintAnswer)).one())
    # Below the ORM the triggers refuse it too.
    for statement in ("UPDATE complaint_answer SET text = 'x'", "DELETE FROM complaint_answer"):
        with pytest.raises(DBAPIError), seeded.transaction() as session:
            session.execute(text(statement))
    with seeded.transaction() as session:
        flows.add_addendum(
            db_session=session,
            user=user(session, "reg"),
            complaint=session.get_one(Complaint, cid),
            text="更正：日期",
        )
    with seeded.session() as session:
        tracked = service.track(db_session=session, complaint=session.get_one(Complaint, cid))
    assert tracked.answer is not None and tracked.answer.text == "经核查，投诉成立，责令改正。"
    assert [a.text for a in tracked.addenda] == ["更正：日期"]
    assert [e.state_en for e in tracked.timeline][-1] == "Feedback submitted"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("reg", True),
        ("reg2", False),
        ("reg_city", False),
        ("rev", False),
        ("insp", False),
        ("selfrev", False),
    ],
)
def test_identity_only_for_the_handler(seeded: Database, file_one: Filer, who: str, sees: bool) -> None:
    filed = file_one()
    to_verifying(seeded, filed.case.id)
    with seeded.transaction() as session:
        reader = user(session, who)
        complaint, case = service.get(db_session=session, user=reader, complaint_id=filed.complaint.id)
        out = service.detail(db_session=session, user=reader, complaint=complaint, case=case)
        if sees:
            assert out.identity == Identity(name="张三", phone="13800000000", id_number="11010519491231002X")
        else:
            assert out.identity == HIDDEN
            with pytest.raises(UserError):
                service.reveal_identity(db_session=session, user=reader, complaint=complaint, case=case)
    with seeded.session() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "view_personal")).all()
    assert [(v.actor, v.subject_id) for v in views] == ([("reg", str(filed.complaint.id))] if sees else [])
    assert all("张三" not in str(v.details) for v in views)  # the name stays out of the log itself


def test_out_of_jurisdiction_looks_missing(seeded: Database, file_one: Filer) -> None:
    filed = file_one()
    with seeded.session() as session, pytest.raises(UserError):
        service.get(db_session=session, user=user(session, "insp_ningbo"), complaint_id=filed.complaint.id)


def test_a_complaint_case_is_concluded_by_its_answer_not_a_checklist(
    seeded: Database, file_one: Filer
) -> None:
    from tenderwatch.case import verify
    from tenderwatch.case.schemas import AnswerIn, ConclusionIn

    filed = file_one()
    to_verifying(seeded, filed.case.id)
    with seeded.transaction() as session:
        case = session.get_one(Case, filed.case.id)
        with pytest.raises(UserError):
            verify.submit(
                db_session=session,
                user=user(session, "reg"),
                case=case,
                version=case.version,
                conclusion=ConclusionIn(outcome="unfounded"),
            )
        with pytest.raises(UserError):
            verify.answer_item(
                db_session=session,
                user=user(session, "reg"),
                case=case,
                answer=AnswerIn(version=case.version, model_id="C01", item_id="x", answer="pass"),
            )

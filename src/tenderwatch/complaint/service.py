"""Reading complaints: the complainant's tracking view, the staff view, and the identity reveal.

Who sees what:
- the complainant, with the receipt code: state, dated timeline, the answer and addenda; never handler
  names, departments' internal comments or event details;
- staff who can see the complaint's case (``case.service.can_see``): everything but the identity;
- the case's handler (who signed for it): the identity too, each read audited as ``view_personal``.
A wrong, mistyped or unknown receipt code all give the same "not found", so codes cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case import service as case_service
from tenderwatch.case.lifecycle import STATE_LABELS
from tenderwatch.case.models import Case
from tenderwatch.complaint import receipt
from tenderwatch.complaint.models import (
    ComplainantIdentity,
    Complaint,
    ComplaintAddendum,
    ComplaintAnswer,
    ComplaintAttachment,
)
from tenderwatch.complaint.schemas import (
    HIDDEN,
    AddendumOut,
    AnswerOut,
    AttachmentOut,
    ComplaintDetail,
    Identity,
    TimelineEntry,
    Tracked,
)
from tenderwatch.errors import UserError

# Case events the complainant sees: the moves of the case, not comments, uploads or internal steps.
PUBLIC_EVENTS = ("generated", "assign", "accept", "start", "submit", "approve", "transfer", "reopen")


class NotFound(UserError):
    def __init__(self) -> None:
        super().__init__("未找到该回执码对应的投诉", "No complaint with this receipt code")


def by_receipt(*, db_session: Session, secret_key: str, code: str) -> Complaint:
    if not receipt.is_well_formed(code):
        raise NotFound()
    found = db_session.scalars(
        select(Complaint).where(Complaint.receipt_hash == receipt.digest(secret_key, code))
    ).one_or_none()
    if found is None:
        raise NotFound()
    return found


def _answer(db_session: Session, complaint: Complaint) -> AnswerOut | None:
    row = db_session.scalars(
        select(ComplaintAnswer).where(ComplaintAnswer.complaint_id == complaint.id)
    ).one_or_none()
    if row is None:
        return None
    name = None
    if row.attachment_id is not None:
        name = db_session.get_one(ComplaintAttachment, row.attachment_id).filename
    return AnswerOut(text=row.text, answered_at=row.answered_at, attachment=name)


def _addenda(db_session: Session, complaint: Complaint) -> list[AddendumOut]:
    rows = db_session.scalars(
        select(ComplaintAddendum)
        .where(ComplaintAddendum.complaint_id == complaint.id)
        .order_by(ComplaintAddendum.id)
    )
    return [AddendumOut(text=r.text, written_at=r.written_at) for r in rows]


def track(*, db_session: Session, complaint: Complaint) -> Tracked:
    case = db_session.get(Case, complaint.case_id) if complaint.case_id else None
    timeline: list[TimelineEntry] = []
    for ev in case.events if case else []:
        if ev.kind in PUBLIC_EVENTS and ev.to_state:
            zh, en = STATE_LABELS[ev.to_state]
            timeline.append(TimelineEntry(at=ev.at, state_zh=zh, state_en=en))
    zh, en = STATE_LABELS[case.state] if case else ("已受理", "Received")
    return Tracked(
        kind=complaint.kind,
        subject=complaint.subject,
        filed_at=complaint.filed_at,
        decision_due=case.due_date if case else None,
        state_zh=zh,
        state_en=en,
        timeline=timeline,
        answer=_answer(db_session, complaint),
        addenda=_addenda(db_session, complaint),
    )


def get(*, db_session: Session, user: User, complaint_id: int) -> tuple[Complaint, Case]:
    """A complaint whose case the user can see; otherwise the same error as a missing one."""
    complaint = db_session.get(Complaint, complaint_id)
    case = db_session.get(Case, complaint.case_id) if complaint and complaint.case_id else None
    if complaint is None or case is None or not case_service.can_see(user, case):
        raise UserError(f"没有编号为{complaint_id}的投诉", f"No complaint {complaint_id}")
    return complaint, case


def is_handler(user: User, case: Case) -> bool:
    return case.handler is not None and case.handler == user.username


def reveal_identity(*, db_session: Session, user: User, complaint: Complaint, case: Case) -> Identity | None:
    """The identity for the case's handler, audited; ``UserError`` for anyone else."""
    if not is_handler(user, case):
        raise UserError("只有承办人可以查看投诉人身份", "Only the handler may see the complainant's identity")
    row = db_session.get(ComplainantIdentity, complaint.id)
    if row is None:
        return None
    audit(
        db_session,
        actor=user.username,
        action="view_personal",
        subject_type="complaint",
        subject_id=str(complaint.id),
        details={"fields": ["name", "phone", "id_number"]},
        personal={"complainant": row.name},
    )
    return Identity(name=row.name, phone=row.phone, id_number=row.id_number)


def detail(*, db_session: Session, user: User, complaint: Complaint, case: Case) -> ComplaintDetail:
    identity: Identity | str | None = None
    if not complaint.anonymous:
        identity = (
            reveal_identity(db_session=db_session, user=user, complaint=complaint, case=case)
            if is_handler(user, case)
            else HIDDEN
        )
    attachments = db_session.scalars(
        select(ComplaintAttachment)
        .where(ComplaintAttachment.complaint_id == complaint.id)
        .order_by(ComplaintAttachment.id)
    )
    return ComplaintDetail(
        id=complaint.id,
        kind=complaint.kind,
        case_id=case.id,
        state=case.state,
        handler=case.handler,
        department_code=case.department_code,
        section_code=complaint.section_code,
        project_text=complaint.project_text,
        region_code=complaint.region_code,
        industry=complaint.industry,
        subject=complaint.subject,
        description=complaint.description,
        anonymous=complaint.anonymous,
        identity=identity,
        attachments=[
            AttachmentOut(
                id=a.id,
                part=a.part,
                filename=a.filename,
                content_type=a.content_type,
                sha256=a.sha256,
                size=a.size,
            )
            for a in attachments
        ],
        answer=_answer(db_session, complaint),
        addenda=_addenda(db_session, complaint),
        filed_at=complaint.filed_at,
        decision_due=case.due_date,
    )


def list_visible(*, db_session: Session, user: User) -> list[tuple[Complaint, Case]]:
    cases = [c for c in case_service.list_cases(db_session=db_session, user=user) if c.complaint_id]
    out = []
    for case in cases:
        complaint = db_session.get(Complaint, case.complaint_id)
        if complaint is not None:
            out.append((complaint, case))
    return out

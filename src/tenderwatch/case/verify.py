"""Verification steps: answering the checklist, concluding (提交反馈) and reviewing (审核) — with the
credit hook on an approved 查实 that carries its decision document."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.case import service
from tenderwatch.case.flows import _event, _flush, _own_attachments, _require_handler, fire
from tenderwatch.case.models import Attachment, Case, ChecklistAnswer
from tenderwatch.case.schemas import AnswerIn, ConclusionIn
from tenderwatch.credit.flows import RecordResult, Violation, record_violation
from tenderwatch.credit.lake import LakeCredit
from tenderwatch.credit.service import normalise_subject
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning

CREDIT_OUTCOMES = ("confirmed", "partly_confirmed")


def _warning_of(db_session: Session, case: Case) -> Warning:
    # A public complaint's case has no warning, hence no checklist: it is concluded by its answer.
    if case.warning_id is None:
        raise UserError("投诉案件请在投诉页面作出答复", "A complaint's case is concluded by its answer")
    return db_session.get_one(Warning, case.warning_id)


@service.guarded
def answer_item(*, db_session: Session, user: User, case: Case, answer: AnswerIn) -> ChecklistAnswer:
    _require_handler(user, case, answer.version)
    warning = _warning_of(db_session, case)
    entries = {(e.model_id, e.item.id): e.item for e in service.checklist(warning)}
    item = entries.get((answer.model_id.upper(), answer.item_id))
    if item is None:
        raise UserError(
            f"核查清单中没有该事项：{answer.item_id}", f"No such checklist item: {answer.item_id}"
        )
    _own_attachments(db_session, case, answer.attachment_ids)
    if answer.answer == "not_applicable" and not answer.notes.strip():
        raise UserError("“不适用”须说明理由", "Not applicable needs a note saying why")
    if answer.answer != "not_applicable" and item.evidence_required and not answer.attachment_ids:
        raise UserError("该事项须上传证据附件", "This item needs an evidence attachment")
    rows = service.answers_of(db_session=db_session, case_id=case.id)
    row = rows.get((answer.model_id.upper(), answer.item_id))
    if row is None:
        row = ChecklistAnswer(case_id=case.id, model_id=answer.model_id.upper(), item_id=answer.item_id)
        db_session.add(row)
    row.answer, row.notes, row.attachment_ids = answer.answer, answer.notes, list(answer.attachment_ids)
    row.answered_by, row.answered_at = user.username, utcnow()
    _event(
        db_session,
        case,
        "answer",
        user.username,
        None,
        item=f"{row.model_id}.{row.item_id}",
        answer=row.answer,
    )
    _flush(db_session)
    return row


def _check_conclusion(db_session: Session, case: Case, warning: Warning, c: ConclusionIn) -> None:
    answered = service.answers_of(db_session=db_session, case_id=case.id)
    missing = [
        f"{e.model_id}.{e.item.id}"
        for e in service.checklist(warning)
        if (e.model_id, e.item.id) not in answered
    ]
    if missing:
        raise UserError(
            f"核查事项尚未全部作答：{'、'.join(missing)}", f"Unanswered checklist items: {', '.join(missing)}"
        )
    _own_attachments(
        db_session, case, c.evidence_ids + ([c.decision_attachment_id] if c.decision_attachment_id else [])
    )
    for guide, _rules in service.guides_of(warning):
        need = getattr(guide.outcomes, c.outcome)
        if need.requires_benign and c.benign_id not in guide.benign_ids():
            raise UserError(
                "查否须写明指引所列的正当解释",
                f"{c.outcome} needs one of {guide.model_id}'s benign explanations",
            )
        if need.requires_evidence and not c.evidence_ids:
            raise UserError("该结论须附证明材料", f"{c.outcome} needs evidence attachments")
        if need.requires_reason and not (c.reason or "").strip():
            raise UserError("无法核实须说明原因", f"{c.outcome} needs a reason")
        if need.requires_recipient and not (c.recipient or "").strip():
            raise UserError("移送须写明接收机关", f"{c.outcome} needs the receiving body")
    if c.decision_no and not c.decision_attachment_id:
        raise UserError("处罚决定书编号须附决定书文件", "A decision number needs the decision document")
    if c.outcome in CREDIT_OUTCOMES and c.decision_no and not c.subjects:
        raise UserError(
            "查实并有处罚决定的，须写明决定书所列主体",
            "A confirmed conclusion with a decision needs its subjects",
        )
    for subject in c.subjects:
        # Checked now, by the verifier who typed them: at approval it would be the reviewer's dead end.
        normalise_subject(subject.subject_type, subject.subject_id)


def _require_no_recusal(user: User, case: Case) -> None:
    """Oversight hook: a user the conflict scan found linked to a company of the case (event
    ``recusal_required``, src/tenderwatch/oversight/conflicts.py) may not conclude or approve it."""
    if any(e.kind == "recusal_required" and e.detail.get("user") == user.username for e in case.events):
        raise UserError(
            "您与本案涉及的企业存在关联，须回避", "You are linked to a company of this case and must recuse"
        )


@service.guarded
def submit(*, db_session: Session, user: User, case: Case, version: int, conclusion: ConclusionIn) -> Case:
    """Conclude (提交反馈): every item answered and the guide's requirements for the outcome met."""
    _require_handler(user, case, version)
    _require_no_recusal(user, case)
    warning = _warning_of(db_session, case)
    _check_conclusion(db_session, case, warning, conclusion)
    case.conclusion = {**conclusion.model_dump(mode="json"), "verifier": user.username}
    if conclusion.outcome == "transferred":
        case.recipient = conclusion.recipient
    return fire(db_session=db_session, user=user, case=case, action="submit", version=None)


@service.guarded
def review(
    *, db_session: Session, user: User, case: Case, version: int, approve: bool, reason: str, lake: LakeCredit
) -> list[RecordResult]:
    """Approve (→ closed / transferred; 查实 with a decision → credit records) or return (→ verifying)."""
    if not approve:
        fire(db_session=db_session, user=user, case=case, action="return", version=version, reason=reason)
        case.conclusion = {**(case.conclusion or {}), "returned_by": user.username, "return_reason": reason}
        _flush(db_session)
        return []
    _require_no_recusal(user, case)
    fire(db_session=db_session, user=user, case=case, action="approve", version=version, reason=reason)
    conclusion = dict(case.conclusion or {})
    case.conclusion = {**conclusion, "reviewer": user.username}
    results: list[RecordResult] = []
    if conclusion.get("outcome") in CREDIT_OUTCOMES and conclusion.get("decision_no"):
        warning = db_session.get_one(Warning, case.warning_id)
        document = db_session.get_one(Attachment, conclusion["decision_attachment_id"])
        decided = (
            date.fromisoformat(conclusion["decided_on"]) if conclusion.get("decided_on") else date.today()
        )
        for subject in conclusion.get("subjects") or []:
            results.append(
                record_violation(
                    db_session=db_session,
                    actor=user.username,
                    lake=lake,
                    violation=Violation(
                        subject_type=subject["subject_type"],
                        subject_id=subject["subject_id"],
                        industry=case.industry,
                        region_code=warning.region_code,
                        kind=subject.get("kind") or "collusion",
                        reason=conclusion.get("notes") or f"预警{warning.id}查实",
                        decision_no=conclusion["decision_no"],
                        decision_sha256=document.sha256,
                        decided_on=decided,
                        warning_id=warning.id,
                        subject_name=subject.get("name"),
                        issuer=conclusion.get("issuer"),
                    ),
                )
            )
        _event(db_session, case, "credit", user.username, None, records=[r.record.id for r in results])
    _flush(db_session)
    return results

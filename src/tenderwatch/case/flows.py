"""Case steps with effects: open (route + deadline), transitions, checklist answers, attachments,
conclusion, review (with the credit hook). Every step writes a ``case_event`` and an audit record and
bumps the case's version; the caller commits.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case import deadlines, notify, service
from tenderwatch.case.lifecycle import STATE_LABELS, TRANSITIONS
from tenderwatch.case.models import Attachment, Case, CaseEvent, Department
from tenderwatch.case.routing import route
from tenderwatch.config import Settings, get_settings
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError
from tenderwatch.warning.flows import entity_region
from tenderwatch.warning.models import Warning

SYSTEM = "system"


def _name(user: User | None) -> str:
    return user.username if user else SYSTEM


def _event(db_session: Session, case: Case, kind: str, actor: str, before: str | None, **detail: Any) -> None:
    after = case.state if before is not None else None
    case.events.append(CaseEvent(kind=kind, from_state=before, to_state=after, actor=actor, detail=detail))
    audit(
        db_session,
        actor=actor,
        action="change",
        subject_type="case",
        subject_id=str(case.id),
        details={
            "kind": kind,
            "from": before,
            "to": after,
            **{k: v for k, v in detail.items() if k != "notes"},
        },
    )
    case.updated_at = utcnow()


def _flush(db_session: Session) -> None:
    # The UPDATE carries "WHERE version = <read>": a concurrent writer got there first if no row matched.
    try:
        db_session.flush()
    except StaleDataError as exc:
        raise service.StaleCase() from exc


def _department(db_session: Session, code: str) -> Department:
    return db_session.scalars(select(Department).where(Department.code == code)).one()


def network_regions(warning: Warning) -> set[str]:
    """The regions a warning touches: its project region, plus, for entity-level warnings (no section),
    the registration regions of its entities (DOMAIN.md §5.3)."""
    regions = {warning.region_code}
    if warning.section_code is None:
        regions |= {entity_region("company", e) for e in warning.entities if len(e) == 18}
    regions |= {
        str(e["region_code"]) for e in warning.evidence if isinstance(e, dict) and e.get("region_code")
    }
    return regions


@service.guarded
def open_case(
    *, db_session: Session, settings: Settings, warning: Warning, today: date, stage: str = "bidding"
) -> Case:
    """Route a warning to its department, set its deadlines and assign it (分办), as the platform."""
    found = db_session.scalars(select(Case).where(Case.warning_id == warning.id)).one_or_none()
    if found is not None:
        return found
    routed = route(
        db_session=db_session, regions=network_regions(warning), industry=warning.industry, stage=stage
    )
    dept = routed.department
    due, provisional = deadlines.feedback_due(settings, warning.grade, today)
    case = Case(
        warning_id=warning.id,
        state="generated",
        grade=warning.grade,
        industry=dept.industries[0],
        stage=stage,
        department_code=dept.code,
        region_prefix=dept.region_prefix,
        level=dept.level,
        due_date=due,
        due_provisional=provisional,
        accept_due=deadlines.accept_due(settings, warning.grade, today),
    )
    db_session.add(case)
    db_session.flush()
    _event(db_session, case, "generated", SYSTEM, None, route=routed.reason, department=dept.code)
    fire(db_session=db_session, user=None, case=case, action="assign", version=None)
    notify.queue(
        db_session=db_session,
        case=case,
        kind="assigned",
        department=dept,
        title_zh=f"新预警分办：{warning.grade} 案件{case.id}，{dept.name_zh}，{due}前反馈",
        title_en=f"New {warning.grade} case {case.id} assigned to {dept.code}, feedback due {due}",
    )
    return case


@service.guarded
def fire(
    *,
    db_session: Session,
    user: User | None,
    case: Case,
    action: str,
    version: int | None,
    reason: str = "",
    recipient: str | None = None,
    into_case_id: int | None = None,
    settings: Settings | None = None,
) -> Case:
    """Fire one transition after checking state, role, relationship and version.

    Reopening starts the verification afresh, so it also gives the case fresh deadlines from today (from
    ``settings``, the default settings when not given) and clears the overdue flag and the supervision.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise UserError(f"未知操作：{action}", f"Unknown action: {action}")
    service.check_version(case, version)
    if case.state not in transition.sources:
        label = STATE_LABELS[case.state]
        raise UserError(
            f"案件处于“{label[0]}”，不能{transition.label_zh}",
            f"A case in state {label[1]} cannot be given the action {transition.label_en}",
        )
    if not service.may(user, case, transition):
        raise UserError(f"无权对该案件{transition.label_zh}", f"You may not {action} this case")
    before = case.state
    detail: dict[str, Any] = {"reason": reason} if reason else {}
    if action in ("return", "reopen") and not reason.strip():
        raise UserError("退回或重启须说明理由", "Returning or reopening needs a reason")
    if action == "accept":
        case.handler = _name(user)
    elif action == "transfer":
        if not (recipient or "").strip():
            raise UserError("移送须写明接收机关", "A transfer needs the receiving body")
        case.recipient, detail["recipient"] = recipient, recipient
    elif action == "merge":
        _merge(db_session, case, into_case_id)
        detail["into"] = into_case_id
    elif action == "reopen":
        case.conclusion = None  # a reopened case is verified and concluded afresh
        detail["due_date"] = str(_restart_deadlines(case, settings or get_settings()))
    if action == "approve":
        outcome = (case.conclusion or {}).get("outcome")
        case.state = "transferred" if outcome == "transferred" else "closed"
    elif transition.target is not None:
        case.state = transition.target
    _event(db_session, case, action, _name(user), before if case.state != before else None, **detail)
    if case.warning_id is not None:  # a complaint's case has no warning to mirror the state on
        db_session.get_one(Warning, case.warning_id).status = case.state
    _flush(db_session)
    return case


def _restart_deadlines(case: Case, settings: Settings) -> date:
    # A reopened case kept its old, long-passed due date, so the next tick marked it overdue at once and
    # escalated it: the handler who is asked to look again gets the grade's full time again instead.
    today = utcnow().date()
    case.due_date, case.due_provisional = deadlines.feedback_due(settings, case.grade, today)
    case.accept_due = None  # the case is reopened to its handler, who does not sign for it again
    case.overdue, case.supervised_by = False, None
    return case.due_date


def _merge(db_session: Session, case: Case, into_case_id: int | None) -> None:
    target = db_session.get(Case, into_case_id) if into_case_id else None
    if target is None or target.id == case.id or target.state == "merged":
        raise UserError("合并目标案件无效", "The case to merge into is not valid")
    mine = db_session.get_one(Warning, case.warning_id)
    other = db_session.get_one(Warning, target.warning_id)
    # Same network: the two warnings name at least one common entity.
    if not set(mine.entities) & set(other.entities):
        raise UserError("两条预警不涉及同一主体网络，不能合并", "The warnings share no entity; not merged")
    case.merged_into = target.id


def _require_handler(user: User, case: Case, version: int | None) -> None:
    service.check_version(case, version)
    if case.state != "verifying" or case.handler != user.username:
        raise UserError("只有核查中的承办人可以操作", "Only the handler of a case under verification may")


@service.guarded
def save_attachment(
    *, db_session: Session, settings: Settings, user: User, case: Case, filename: str, data: bytes
) -> Attachment:
    if case.state != "verifying" or case.handler != user.username:
        raise UserError("只有核查中的承办人可以上传附件", "Only the handler may upload during verification")
    digest = hashlib.sha256(data).hexdigest()
    folder = settings.data_dir / "case-files"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest  # content-addressed: the same file twice is stored once, never overwritten
    if not path.exists():
        path.write_bytes(data)
    name = filename.replace("/", "_").replace("\\", "_")[:255] or "file"
    attachment = Attachment(
        case_id=case.id, filename=name, sha256=digest, size=len(data), uploaded_by=user.username
    )
    db_session.add(attachment)
    db_session.flush()
    _event(db_session, case, "attachment", user.username, None, attachment=attachment.id, sha256=digest)
    _flush(db_session)
    return attachment


def _own_attachments(db_session: Session, case: Case, ids: list[int]) -> None:
    found = set(db_session.scalars(select(Attachment.id).where(Attachment.case_id == case.id)))
    if not set(ids) <= found:
        raise UserError("附件不属于本案件", "An attachment does not belong to this case")


def open_all(*, db_session: Session, settings: Settings, today: date) -> list[int]:
    """Open a case for every warning that has none yet (after a detection run, and in the demo)."""
    warnings = db_session.scalars(
        select(Warning)
        # NOT IN over a NULL (a complaint's case) would match nothing: leave those rows out.
        .where(~Warning.id.in_(select(Case.warning_id).where(Case.warning_id.is_not(None))))
        .order_by(Warning.id)
    ).all()
    return [open_case(db_session=db_session, settings=settings, warning=w, today=today).id for w in warnings]

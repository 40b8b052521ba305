"""Complaint steps with effects: file (check, store, route a case), answer (once), append an addendum.

Filing opens a case exactly as a warning does — routed by (region, industry) with ``case.routing``, the
department notified with ``case.notify``, overdue and 督办 by the same ``case.deadlines.tick`` — with the
complaint's own deadlines: accept within 3 working days and decide within 30 working days of filing
(《招标投标法实施条例》; settings ``complaint_accept_days``, ``complaint_decision_days``). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case import calendar, notify
from tenderwatch.case import flows as case_flows
from tenderwatch.case.models import Case
from tenderwatch.case.routing import BUREAUS, route
from tenderwatch.common.identifiers import is_valid_id_number, normalise_id_number
from tenderwatch.common.regions import REGIONS
from tenderwatch.complaint import files, lake, receipt
from tenderwatch.complaint.models import (
    ComplainantIdentity,
    Complaint,
    ComplaintAddendum,
    ComplaintAnswer,
    ComplaintAttachment,
)
from tenderwatch.complaint.schemas import ComplaintIn
from tenderwatch.config import Settings
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError

PUBLIC = "public"  # the audit actor of a filing: the complainant is nobody's username
GRADE = "public"  # case_case.grade (8 chars): a complaint has no red/orange/yellow grade


class RateLimited(UserError):
    def __init__(self) -> None:
        super().__init__("提交过于频繁，请稍后再试", "Too many complaints from this address; try again later")


@dataclass(frozen=True, slots=True)
class FiledComplaint:
    complaint: Complaint
    case: Case
    receipt_code: str  # the only time the code exists in clear


def _check(db_session: Session, settings: Settings, data: ComplaintIn) -> None:
    if not data.consent:
        raise UserError("请阅读并同意个人信息处理说明", "Please read and accept the personal-data notice")
    region = REGIONS.get(data.region_code)
    if region is None or region.level != "county":
        raise UserError("请选择项目所在的县（市、区）", "Choose the county where the project is")
    if data.industry not in BUREAUS:
        raise UserError("行业无效", f"Unknown industry: {data.industry}")
    # 投诉 must name the complainant (投诉书 carries name and contact); only a 举报 may be anonymous.
    if data.kind == "complaint" and data.anonymous:
        raise UserError(
            "投诉须署名；匿名请选择“举报”", "A complaint must be named; file a report to stay anonymous"
        )
    if not data.anonymous and not ((data.name or "").strip() and (data.phone or "").strip()):
        raise UserError("请填写姓名和联系电话", "Name and phone are required")
    if data.id_number and not is_valid_id_number(data.id_number):
        raise UserError("身份证号码无效", "The ID number is not valid")
    if data.section_code and lake.known_section(db_session, settings, data.section_code) is False:
        raise UserError(f"标段编号{data.section_code}不存在", f"No section {data.section_code}")
    if not (data.section_code or (data.project_text or "").strip()):
        raise UserError("请填写标段编号或项目名称", "Give the section code or the project name")


def _rate_limit(db_session: Session, settings: Settings, address: str, now: datetime) -> None:
    since = now - timedelta(minutes=settings.complaint_rate_window_minutes)
    count = db_session.scalar(
        select(func.count()).where(Complaint.filed_from == address, Complaint.filed_at >= since)
    )
    if int(count or 0) >= settings.complaint_rate_limit:
        raise RateLimited()


def file(
    *,
    db_session: Session,
    settings: Settings,
    data: ComplaintIn,
    uploads: list[files.Upload],
    address: str,
    today: date,
) -> FiledComplaint:
    """Check and store a complaint with its attachments, and open its case (分办) as the platform."""
    _check(db_session, settings, data)
    files.check(settings, uploads)
    now = utcnow()
    filed_from = receipt.address_digest(settings.secret_key, address)
    _rate_limit(db_session, settings, filed_from, now)
    code = receipt.new_code()
    complaint = Complaint(
        kind=data.kind,
        receipt_hash=receipt.digest(settings.secret_key, code),
        section_code=(data.section_code or "").strip() or None,
        project_text=(data.project_text or "").strip() or None,
        region_code=data.region_code,
        industry=data.industry,
        subject=data.subject.strip(),
        description=data.description.strip(),
        anonymous=data.anonymous,
        filed_from=filed_from,
        filed_at=now,
    )
    db_session.add(complaint)
    db_session.flush()
    if not data.anonymous:
        db_session.add(
            ComplainantIdentity(
                complaint_id=complaint.id,
                name=(data.name or "").strip(),
                phone=(data.phone or "").strip(),
                id_number=normalise_id_number(data.id_number) if data.id_number else None,
            )
        )
    for upload in uploads:
        _attach(db_session, settings, complaint, "filing", upload)
    case = _open_case(db_session, settings, complaint, today)
    complaint.case_id = case.id
    audit(
        db_session,
        actor=PUBLIC,
        action="change",
        subject_type="complaint",
        subject_id=str(complaint.id),
        details={"kind": "filed", "case": case.id, "attachments": len(uploads)},
    )
    db_session.flush()
    return FiledComplaint(complaint, case, code)


def _attach(
    db_session: Session, settings: Settings, complaint: Complaint, part: str, upload: files.Upload
) -> ComplaintAttachment:
    row = ComplaintAttachment(
        complaint_id=complaint.id,
        part=part,
        filename=files.sanitise_filename(upload.filename),
        content_type=upload.content_type.split(";")[0].strip().lower(),
        sha256=files.store(settings, upload.data),
        size=len(upload.data),
    )
    db_session.add(row)
    db_session.flush()
    return row


def _open_case(db_session: Session, settings: Settings, complaint: Complaint, today: date) -> Case:
    routed = route(
        db_session=db_session, regions={complaint.region_code}, industry=complaint.industry, stage="bidding"
    )
    dept = routed.department
    due, provisional = calendar.add_working_days(today, settings.complaint_decision_days)
    case = Case(
        complaint_id=complaint.id,
        state="generated",
        grade=GRADE,
        industry=dept.industries[0],
        stage="bidding",
        department_code=dept.code,
        region_prefix=dept.region_prefix,
        level=dept.level,
        due_date=due,
        due_provisional=provisional,
        accept_due=calendar.add_working_days(today, settings.complaint_accept_days)[0],
    )
    db_session.add(case)
    db_session.flush()
    case_flows._event(
        db_session, case, "generated", case_flows.SYSTEM, None, route=routed.reason, complaint=complaint.id
    )
    case_flows.fire(db_session=db_session, user=None, case=case, action="assign", version=None)
    label = "投诉" if complaint.kind == "complaint" else "举报"
    notify.queue(
        db_session=db_session,
        case=case,
        kind="assigned",
        department=dept,
        title_zh=f"新{label}分办：案件{case.id}，{dept.name_zh}，{due}前作出处理决定",
        title_en=f"New public {complaint.kind} case {case.id} assigned to {dept.code}, decision due {due}",
    )
    return case


def answer(
    *,
    db_session: Session,
    settings: Settings,
    user: User,
    complaint: Complaint,
    text: str,
    upload: files.Upload | None = None,
) -> ComplaintAnswer:
    """Give the answer, once; the case goes on to review (submit) like a verified warning."""
    case = db_session.get_one(Case, complaint.case_id)
    # Checked first: once answered the case has left "verifying", and a handler trying again must be told
    # the answer is final, not that only a handler under verification may answer.
    if db_session.scalar(select(ComplaintAnswer.id).where(ComplaintAnswer.complaint_id == complaint.id)):
        raise UserError(
            "答复一经作出不得修改，请追加补充说明", "An answer cannot be changed; append an addendum"
        )
    if case.state != "verifying" or case.handler != user.username:
        raise UserError(
            "只有核查中的承办人可以答复", "Only the handler of a case under verification may answer"
        )
    if not text.strip():
        raise UserError("答复不能为空", "The answer is empty")
    attachment = None
    if upload is not None:
        files.check(settings, [upload])
        attachment = _attach(db_session, settings, complaint, "answer", upload)
    row = ComplaintAnswer(
        complaint_id=complaint.id,
        text=text.strip(),
        attachment_id=attachment.id if attachment else None,
        answered_by=user.username,
    )
    db_session.add(row)
    db_session.flush()
    # The answer is the complaint's own record (final, shown to the complainant); the case's "submit"
    # below records only the move. The text may name people, so only its existence is in the log.
    audit(
        db_session,
        actor=user.username,
        action="change",
        subject_type="complaint",
        subject_id=str(complaint.id),
        details={"kind": "answered", "case": case.id, "attachment": attachment is not None},
    )
    case.conclusion = {"outcome": "complaint_answered", "verifier": user.username}
    case_flows.fire(db_session=db_session, user=user, case=case, action="submit", version=None)
    return row


def add_addendum(*, db_session: Session, user: User, complaint: Complaint, text: str) -> ComplaintAddendum:
    """Append a correction after the answer; the handler of the case only."""
    case = db_session.get_one(Case, complaint.case_id)
    if case.handler != user.username:
        raise UserError("只有承办人可以追加补充说明", "Only the handler may append an addendum")
    if not db_session.scalar(select(ComplaintAnswer.id).where(ComplaintAnswer.complaint_id == complaint.id)):
        raise UserError("尚未答复，不能追加补充说明", "No answer yet to append to")
    if not text.strip():
        raise UserError("补充说明不能为空", "The addendum is empty")
    row = ComplaintAddendum(complaint_id=complaint.id, text=text.strip(), written_by=user.username)
    db_session.add(row)
    case_flows._event(db_session, case, "addendum", user.username, None)
    db_session.flush()
    return row

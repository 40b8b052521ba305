"""Credit steps with effects: writing a bad-conduct record from a 查实 conclusion, the serious-case rule,
and confirming or rejecting the blacklist entry it proposes.

The verification lifecycle calls ``record_violation`` when a reviewer accepts a 查实 (or 部分查实)
conclusion that carries an administrative decision; see docs/credit.md for the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tenderwatch.credit import service
from tenderwatch.credit.lake import LakeCredit
from tenderwatch.credit.models import KINDS, BlacklistEntry, CreditRecord
from tenderwatch.errors import UserError

LOOKBACK_YEARS = 3  # Regulations Art. 67: "3年内2次以上串通投标" is a serious case
PUBLICATION_YEARS = 3  # default publication (公示) period of a record; our design, see docs/credit.md
COLLUSION_BASIS = (
    "《招标投标法》第五十三条、《招标投标法实施条例》第六十七条：3年内2次以上串通投标属情节严重，"
    "取消其1年至2年内参加依法必须进行招标的项目的投标资格"
)
COLLUSION_MONTHS = (12, 24)
_HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Violation:
    """What a reviewed 查实 conclusion says about one subject."""

    subject_type: str  # company | person
    subject_id: str  # USCC or ID number
    industry: str  # catalogue industry of the project (building, transport, …)
    region_code: str  # 6-digit region of the project
    kind: str  # one of models.KINDS
    reason: str
    decision_no: str  # the administrative decision's document number
    decision_sha256: str  # SHA-256 of the decision document file, as stored with the conclusion
    decided_on: date
    warning_id: int | None = None
    subject_name: str | None = None
    issuer: str | None = None
    published_until: date | None = None


@dataclass(frozen=True)
class RecordResult:
    record: CreditRecord
    serious: bool
    prior_findings: tuple[str, ...]  # the earlier collusion findings that made it serious
    proposal: BlacklistEntry | None


def window_start(decided_on: date) -> date:
    """First day of the look-back: the same calendar day three years earlier, inclusive."""
    return service.add_years(decided_on, -LOOKBACK_YEARS)


def prior_collusion(
    *, db_session: Session, subject_id: str, decided_on: date, decision_no: str, lake: LakeCredit | None
) -> list[str]:
    """Other collusion findings against the subject decided within the look-back before ``decided_on``.

    Lake records with the same decision number as an internal one are the same finding delivered back
    by the credit centre, and are counted once.
    """
    start = window_start(decided_on)
    found: dict[str, str] = {}
    for record in service.records_of(db_session=db_session, subject_id=subject_id):
        if record.kind == "collusion" and start <= record.decided_on <= decided_on:
            found.setdefault(record.decision_no, f"internal:credit_record/{record.id}")
    for lake_record in lake.records_of(subject_id) if lake else []:
        if lake_record.good or lake_record.kind != "collusion":
            continue
        if start <= lake_record.decided_on <= decided_on:
            found.setdefault(
                lake_record.decision_no or lake_record.record_id,
                f"lake:credit_records/{lake_record.record_id}",
            )
    found.pop(decision_no, None)
    return sorted(found.values())


def record_violation(
    *, db_session: Session, actor: str, violation: Violation, lake: LakeCredit | None = None
) -> RecordResult:
    """Write the bad-conduct record; on a second collusion within three years, mark it serious and
    propose a blacklist entry (status ``proposed``: it restricts nothing until confirmed with a
    decision by ``confirm_proposal``). The caller commits, in the same transaction as the conclusion.
    """
    v = violation
    subject_id = service.normalise_subject(v.subject_type, v.subject_id)
    decision_no = v.decision_no.strip()
    if v.kind not in KINDS:
        raise UserError(f"未知不良行为类别：{v.kind}", f"Unknown kind of bad conduct: {v.kind}")
    if not decision_no or len(v.decision_sha256) != 64 or not set(v.decision_sha256.lower()) <= set(_HEX):
        raise UserError(
            "不良行为记录须有决定文书号及其文件哈希",
            "A bad-conduct record needs the decision number and its file hash",
        )
    if any(
        r.decision_no == decision_no for r in service.records_of(db_session=db_session, subject_id=subject_id)
    ):
        # One decision, one record: a retried call must not count as a second finding.
        raise UserError(
            f"该主体已有此决定文书的记录：{v.decision_no}",
            f"The subject already has a record of decision {v.decision_no}",
        )
    prior = (
        prior_collusion(
            db_session=db_session,
            subject_id=subject_id,
            decided_on=v.decided_on,
            decision_no=decision_no,
            lake=lake,
        )
        if v.kind == "collusion"
        else []
    )
    record = CreditRecord(
        subject_type=v.subject_type,
        subject_id=subject_id,
        subject_name=v.subject_name,
        industry=service.check_industry(v.industry),
        region_code=service.check_region(v.region_code, prefix=False),
        kind=v.kind,
        reason=v.reason,
        warning_id=v.warning_id,
        decision_no=decision_no,
        decision_sha256=v.decision_sha256.lower(),
        issuer=v.issuer,
        decided_on=v.decided_on,
        published_until=v.published_until or service.add_years(v.decided_on, PUBLICATION_YEARS),
        serious=bool(prior),
        created_by=actor,
    )
    db_session.add(record)
    service.add_event(
        db_session=db_session,
        actor=actor,
        action="record_added",
        subject_id=subject_id,
        record=record,
        details={"kind": v.kind, "decision_no": record.decision_no, "warning_id": v.warning_id},
    )
    proposal = None
    if prior:
        service.add_event(
            db_session=db_session,
            actor=actor,
            action="serious_marked",
            subject_id=subject_id,
            record=record,
            details={"prior": prior},
        )
        proposal = service.add_blacklist(
            db_session=db_session,
            actor=actor,
            subject_type=v.subject_type,
            subject_id=subject_id,
            subject_name=v.subject_name,
            # The statute takes away bidding eligibility; what it means on each platform is the bid.
            restricted_actions=["submit_bid"],
            # 处处受限: the whole province of the project, every industry.
            scope_region=record.region_code[:2],
            industries_in_scope=[],
            start_date=v.decided_on,
            end_date=service.period_end(v.decided_on, COLLUSION_MONTHS[0]),
            legal_basis=COLLUSION_BASIS,
            reason=f"3年内第{len(prior) + 1}次串通投标：{v.reason}",
            decision_no=None,
            status="proposed",
        )
        proposal.record_id = record.id
        proposal.min_months, proposal.max_months = COLLUSION_MONTHS
    return RecordResult(record, bool(prior), tuple(prior), proposal)


def confirm_proposal(
    *, db_session: Session, actor: str, entry_id: int, decision_no: str, start_date: date, months: int
) -> BlacklistEntry:
    """Make a proposed entry active with its decision and period (start inclusive, ``months`` long)."""
    entry = service.get_entry(db_session=db_session, entry_id=entry_id)
    if entry.status != "proposed":
        raise UserError("只能确认待确认的黑名单条目", "Only a proposed blacklist entry can be confirmed")
    low, high = entry.min_months, entry.max_months
    if months < 1:
        raise UserError("期限须至少为1个月", "The period must be at least one month")
    if (low is not None and months < low) or (high is not None and months > high):
        raise UserError(
            f"期限须在法定范围 {low}–{high} 个月内",
            f"The period must be within the statutory {low}–{high} months",
        )
    if not decision_no.strip():
        raise UserError("确认须有决定文书号", "Confirming needs the decision number")
    entry.status = "active"
    entry.decision_no = decision_no.strip()
    entry.start_date = start_date
    entry.end_date = service.period_end(start_date, months)
    service.add_event(
        db_session=db_session,
        actor=actor,
        action="blacklist_confirmed",
        subject_id=entry.subject_id,
        entry=entry,
        details={"decision_no": entry.decision_no, "start": str(start_date), "end": str(entry.end_date)},
    )
    return entry


def reject_proposal(*, db_session: Session, actor: str, entry_id: int, reason: str) -> BlacklistEntry:
    """Decline a proposed entry (e.g. the earlier finding was quashed): it becomes ``rejected`` and was
    never in force, which the log keeps apart from revoking a ban that was."""
    entry = service.get_entry(db_session=db_session, entry_id=entry_id)
    if entry.status != "proposed":
        raise UserError("只能驳回待确认的黑名单条目", "Only a proposed blacklist entry can be rejected")
    if not reason.strip():
        raise UserError("驳回须说明理由", "Rejecting a proposal needs a reason")
    entry.status = "rejected"
    service.add_event(
        db_session=db_session,
        actor=actor,
        action="blacklist_rejected",
        subject_id=entry.subject_id,
        entry=entry,
        details={"reason": reason.strip()},
    )
    return entry


def revoke_entry(
    *, db_session: Session, actor: str, entry_id: int, reason: str, document_no: str
) -> BlacklistEntry:
    """Lift an active entry before its end (credit repair, a decision quashed on review or appeal).

    Lifting a restriction is itself an administrative act, so it needs the number of the document
    that orders it as well as the reason; both go to the event log and the audit trail.
    """
    entry = service.get_entry(db_session=db_session, entry_id=entry_id)
    if entry.status != "active":
        raise UserError("只能撤销生效中的黑名单条目", "Only an active blacklist entry can be revoked")
    if not reason.strip():
        raise UserError("撤销须说明理由", "A revocation needs a reason")
    if not document_no.strip():
        raise UserError("撤销须有文书号", "A revocation needs the document number")
    entry.status = "revoked"
    service.add_event(
        db_session=db_session,
        actor=actor,
        action="blacklist_revoked",
        subject_id=entry.subject_id,
        entry=entry,
        details={"reason": reason.strip(), "document_no": document_no.strip()},
    )
    return entry

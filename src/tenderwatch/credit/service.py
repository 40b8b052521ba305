"""Credit CRUD: subjects, records, blacklist entries and the event log. Keyword-only; the caller commits.

Every change appends a ``credit_event`` row and an audit-trail entry (action ``change``) in the same
transaction, so neither can claim a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit import service as audit
from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import (
    is_valid_id_number,
    is_valid_uscc,
    normalise_id_number,
    normalise_uscc,
)
from tenderwatch.credit.models import ACTIONS, SUBJECT_TYPES, BlacklistEntry, CreditEvent, CreditRecord
from tenderwatch.errors import UserError


def normalise_subject(subject_type: str, subject_id: str) -> str:
    """The subject's identifier, normalised and checked (USCC GB 32100, ID number GB 11643)."""
    if subject_type == "company":
        code = normalise_uscc(subject_id)
        if not is_valid_uscc(code):
            raise UserError(
                f"统一社会信用代码无效：{subject_id}", f"Invalid unified social credit code: {subject_id}"
            )
        return code
    if subject_type == "person":
        code = normalise_id_number(subject_id)
        if not is_valid_id_number(code):
            raise UserError(f"公民身份号码无效：{subject_id}", f"Invalid citizen ID number: {subject_id}")
        return code
    raise UserError(f"未知主体类型：{subject_type}", f"Unknown subject type: {subject_type}")


@lru_cache(maxsize=1)
def industries() -> tuple[str, ...]:
    # Cached: the catalogue is parsed from YAML on each get_catalog() call, and the gate asks every time.
    return tuple(get_catalog().enums["industry"])


def check_industry(industry: str) -> str:
    if industry not in industries():
        raise UserError(
            f"未知行业：{industry}", f"Unknown industry: {industry} (use {', '.join(industries())})"
        )
    return industry


def check_region(region: str, *, prefix: bool) -> str:
    ok = region.isdigit() and (len(region) in (2, 4, 6) if prefix else len(region) == 6)
    if not ok and not (prefix and region == ""):
        what = (
            ("区划代码前缀（空、2、4或6位）", "region prefix (empty, 2, 4 or 6 digits)")
            if prefix
            else (
                "6位行政区划代码",
                "6-digit region code",
            )
        )
        raise UserError(f"须为{what[0]}：{region}", f"Must be a {what[1]}: {region}")
    return region


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_end(start: date, months: int) -> date:
    """The last day (inclusive) of a period of ``months`` starting on ``start``."""
    return add_months(start, months) - timedelta(days=1)


def add_event(
    *,
    db_session: Session,
    actor: str,
    action: str,
    subject_id: str,
    record: CreditRecord | None = None,
    entry: BlacklistEntry | None = None,
    details: dict[str, Any] | None = None,
) -> CreditEvent:
    db_session.flush()  # ids of a new record or entry
    event = CreditEvent(
        actor=actor,
        action=action,
        subject_id=subject_id,
        record_id=record.id if record else None,
        blacklist_id=entry.id if entry else None,
        details=details or {},
    )
    db_session.add(event)
    target = (
        ("credit_blacklist", str(entry.id)) if entry else ("credit_record", str(record.id if record else "-"))
    )
    # The subject's identifier is personal data for a person, so it goes to the erasable payload.
    audit.record(
        db_session,
        actor,
        "change",
        target[0],
        target[1],
        details={"op": action, **(details or {})},
        personal={"subject_id": subject_id},
    )
    return event


def records_of(*, db_session: Session, subject_id: str) -> list[CreditRecord]:
    query = select(CreditRecord).where(CreditRecord.subject_id == subject_id)
    return list(db_session.scalars(query.order_by(CreditRecord.decided_on, CreditRecord.id)))


def blacklist_of(*, db_session: Session, subject_id: str) -> list[BlacklistEntry]:
    query = select(BlacklistEntry).where(BlacklistEntry.subject_id == subject_id)
    return list(db_session.scalars(query.order_by(BlacklistEntry.start_date, BlacklistEntry.id)))


def events_of(*, db_session: Session, subject_id: str) -> list[CreditEvent]:
    query = select(CreditEvent).where(CreditEvent.subject_id == subject_id)
    return list(db_session.scalars(query.order_by(CreditEvent.id)))


def check_actions(actions: Iterable[str]) -> list[str]:
    chosen = sorted(set(actions))
    unknown = [a for a in chosen if a not in ACTIONS]
    if not chosen or unknown:
        raise UserError(
            f"限制事项须为 {', '.join(ACTIONS)} 中的一项或多项",
            f"Restricted actions must be among {', '.join(ACTIONS)}",
        )
    return chosen


def add_blacklist(
    *,
    db_session: Session,
    actor: str,
    subject_type: str,
    subject_id: str,
    restricted_actions: Iterable[str],
    scope_region: str,
    industries_in_scope: Iterable[str],
    start_date: date,
    end_date: date | None,
    legal_basis: str,
    reason: str,
    decision_no: str | None,
    subject_name: str | None = None,
    status: str = "active",
) -> BlacklistEntry:
    """A blacklist entry from a decision (``active``) or a proposal awaiting one (``proposed``)."""
    if subject_type not in SUBJECT_TYPES:
        raise UserError(f"未知主体类型：{subject_type}", f"Unknown subject type: {subject_type}")
    if end_date is not None and end_date < start_date:
        raise UserError("截止日期早于起始日期", "The end date is before the start date")
    if status == "active" and not decision_no:
        raise UserError("生效的黑名单须有决定文书号", "An active blacklist entry needs its decision number")
    entry = BlacklistEntry(
        subject_type=subject_type,
        subject_id=normalise_subject(subject_type, subject_id),
        subject_name=subject_name,
        restricted_actions=check_actions(restricted_actions),
        scope_region=check_region(scope_region, prefix=True),
        industries=sorted({check_industry(i) for i in industries_in_scope}),
        start_date=start_date,
        end_date=end_date,
        legal_basis=legal_basis,
        reason=reason,
        decision_no=decision_no,
        status=status,
        created_by=actor,
    )
    db_session.add(entry)
    add_event(
        db_session=db_session,
        actor=actor,
        action="blacklist_added" if status == "active" else "blacklist_proposed",
        subject_id=entry.subject_id,
        entry=entry,
        details={"actions": entry.restricted_actions, "scope": entry.scope_region, "status": status},
    )
    return entry


def get_entry(*, db_session: Session, entry_id: int) -> BlacklistEntry:
    entry = db_session.get(BlacklistEntry, entry_id)
    if entry is None:
        raise UserError(f"没有该黑名单条目：{entry_id}", f"No such blacklist entry: {entry_id}")
    return entry


def revoke_blacklist(*, db_session: Session, actor: str, entry_id: int, reason: str) -> BlacklistEntry:
    """Revoke an entry (credit repair, a decision quashed on appeal, a proposal rejected)."""
    entry = get_entry(db_session=db_session, entry_id=entry_id)
    if entry.status == "revoked":
        return entry
    if not reason.strip():
        raise UserError("撤销须说明理由", "A revocation needs a reason")
    entry.status = "revoked"
    add_event(
        db_session=db_session,
        actor=actor,
        action="blacklist_revoked",
        subject_id=entry.subject_id,
        entry=entry,
        details={"reason": reason},
    )
    return entry

"""ORM: bad-conduct records, blacklist entries and the credit event log.

Scores are not stored: they are a pure function of the records and the date (``score.py``), so a
record added or withdrawn can never leave a stale score behind.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow

SUBJECT_TYPES = ("company", "person")
KINDS = (
    "collusion",  # 串通投标 (Bidding Law Art. 32/53, Regulations Art. 39–41/67)
    "bribery",  # 行贿谋取中标
    "lending",  # 挂靠、出借资质、以他人名义投标 (Art. 33/54, Regulations Art. 42/68)
    "false_materials",  # 弄虚作假 (Regulations Art. 42)
    "expert_misconduct",  # 评标专家违规 (Regulations Art. 71)
    "other",
)
ACTIONS = ("register", "buy_documents", "submit_bid")  # what a blacklist entry may restrict
# A rejected proposal was never in force; a revoked entry was (credit repair, a decision quashed).
BLACKLIST_STATUSES = ("proposed", "active", "rejected", "revoked")


class CreditRecord(Base):
    """A bad-conduct record (不良行为记录) written from a reviewed 查实 conclusion with its decision."""

    __tablename__ = "credit_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(18), index=True)  # USCC or ID number, normalised
    subject_name: Mapped[str | None] = mapped_column(String(256))
    industry: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warning.id", ondelete="SET NULL"))
    decision_no: Mapped[str] = mapped_column(String(128))
    decision_sha256: Mapped[str] = mapped_column(String(64))  # the decision document file's hash
    issuer: Mapped[str | None] = mapped_column(String(256))
    decided_on: Mapped[date] = mapped_column(Date)
    published_until: Mapped[date] = mapped_column(Date)  # end of the publication (公示) period
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlacklistEntry(Base):
    """A restriction (失信黑名单) on some actions, within a scope, for a period.

    Scope: ``scope_region`` is a region-code prefix ("33" the province, "" nationwide) and
    ``industries`` the industries covered (empty = all). The period is ``start_date`` to ``end_date``,
    both inclusive; no end date means until revoked. Only ``active`` entries restrict anything.
    """

    __tablename__ = "credit_blacklist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(18), index=True)
    subject_name: Mapped[str | None] = mapped_column(String(256))
    restricted_actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_region: Mapped[str] = mapped_column(String(6), default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    decision_no: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    # For a proposal made by the serious-case rule: the statutory range the confirmed period must keep.
    min_months: Mapped[int | None] = mapped_column(Integer)
    max_months: Mapped[int | None] = mapped_column(Integer)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CreditEvent(Base):
    """Append-only: one row per change to records or the blacklist (also sent to the audit trail)."""

    __tablename__ = "credit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(18), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id", ondelete="SET NULL"))
    blacklist_id: Mapped[int | None] = mapped_column(ForeignKey("credit_blacklist.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

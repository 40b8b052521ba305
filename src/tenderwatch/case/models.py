"""ORM: departments, cases (one per warning), their events, checklist answers, attachments, notifications.

A case carries the lifecycle of one warning. ``version`` is SQLAlchemy's version counter: every UPDATE
says ``WHERE version = <read version>``, so of two people who read the same case and both write, the
second write matches no row and is refused instead of silently overwriting the first.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenderwatch.db import Base, utcnow


class Department(Base):
    """A responsible department (责任单位): e.g. 西湖区住房和城乡建设局 for building in 330106."""

    __tablename__ = "case_department"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # <region code>-<industry>
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    region_code: Mapped[str] = mapped_column(String(6), index=True)  # 330106 / 330100 / 330000
    region_prefix: Mapped[str] = mapped_column(String(6))  # jurisdiction: 330106 / 3301 / 33
    level: Mapped[str] = mapped_column(String(8))  # province | city | county
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty = every stage
    email: Mapped[str | None] = mapped_column(String(128))


class Case(Base):
    __tablename__ = "case_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # A case comes from a warning or from a public complaint (migration 0007): exactly one is set.
    warning_id: Mapped[int | None] = mapped_column(
        ForeignKey("warning.id", ondelete="CASCADE"), unique=True, default=None
    )
    complaint_id: Mapped[int | None] = mapped_column(unique=True, default=None)
    state: Mapped[str] = mapped_column(String(24), index=True)
    grade: Mapped[str] = mapped_column(String(8))
    industry: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str] = mapped_column(String(32), index=True)
    region_prefix: Mapped[str] = mapped_column(String(6), index=True)  # the department's jurisdiction
    level: Mapped[str] = mapped_column(String(8))
    handler: Mapped[str | None] = mapped_column(String(64))  # who signed for it (签收) and verifies
    accept_due: Mapped[date | None] = mapped_column(default=None)
    due_date: Mapped[date] = mapped_column()
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # Overdue and supervised are flags, not states: a supervised case is still being verified, and the
    # state must keep saying where it stands (see docs/case.md).
    overdue: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    supervised_by: Mapped[str | None] = mapped_column(String(32))  # department one level up (督办)
    conclusion: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    recipient: Mapped[str | None] = mapped_column(String(128))  # receiving body of a transfer (移送)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("case_case.id"), default=None)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads a plain dict

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseEvent(Base):
    """Append-only: every transition, answer, upload and comment."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")


class ChecklistAnswer(Base):
    __tablename__ = "case_answer"
    __table_args__ = (UniqueConstraint("case_id", "model_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_case.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(16))  # pass | fail | not_applicable
    notes: Mapped[str] = mapped_column(Text, default="")
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    answered_by: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file kept under ``<data_dir>/case-files/<sha256>``; the hash proves it was not changed later."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_case.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """In-app message, and the outbox of its e-mail and DingTalk copies (sent after the commit)."""

    __tablename__ = "case_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)  # None: department-wide
    department_code: Mapped[str | None] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    email_to: Mapped[str | None] = mapped_column(String(128))
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)
    pushed_at: Mapped[datetime | None] = mapped_column(default=None)

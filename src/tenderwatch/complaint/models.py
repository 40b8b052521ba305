"""ORM: complaints, the complainant's identity (a separate table), attachments, the answer and addenda.

The identity lives in its own table so that no query of the complaint itself can carry it: only
``service.reveal_identity`` reads it, for the case's handler, and audits every read. The answer is a row
of its own, inserted once; the migration adds triggers that refuse any UPDATE or DELETE of it, and the
mapper events below refuse the same in Python, so a correction can only be an appended addendum.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow
from tenderwatch.errors import UserError

KINDS = ("complaint", "report")  # 投诉 (named, by an interested party) | 举报 (may be anonymous)


class Complaint(Base):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC of the code, never the code
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_case.id", ondelete="SET NULL"), index=True)
    section_code: Mapped[str | None] = mapped_column(String(64))
    project_text: Mapped[str | None] = mapped_column(String(200))  # free text when not in the lake
    region_code: Mapped[str] = mapped_column(String(6))
    industry: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    # HMAC of the filer's address: enough to count filings per address, not enough to recover it.
    filed_from: Mapped[str] = mapped_column(String(64), index=True)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ComplainantIdentity(Base):
    """Personal data: read only through ``service.reveal_identity`` (handler only, audited)."""

    __tablename__ = "complaint_identity"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str | None] = mapped_column(String(18))


class ComplaintAttachment(Base):
    """A file under ``<data_dir>/complaint-files/<sha256>``; ``part`` says whether it came with the filing."""

    __tablename__ = "complaint_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(16))  # filing | answer | addendum
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintAnswer(Base):
    """The answer to the complainant: one per complaint, never changed (see the module docstring)."""

    __tablename__ = "complaint_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_attachment.id"))
    answered_by: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintAddendum(Base):
    """A correction or supplement appended after the answer; shown as such, never replacing it."""

    __tablename__ = "complaint_addendum"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerImmutable(UserError):
    def __init__(self) -> None:
        super().__init__(
            "答复一经作出不得修改，请追加补充说明", "An answer cannot be changed; append an addendum"
        )


def _refuse(*_: Any) -> None:
    raise AnswerImmutable()


for _model in (ComplaintAnswer, ComplaintAddendum):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)

"""ORM: every pushed event once per (source, event id), with its outcome, for idempotency and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow


class PushEvent(Base):
    """One event as received. A repeat with the same body answers this row's outcome; a repeat with
    another body is refused, so an event id can never mean two different things."""

    __tablename__ = "push_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64))  # the token's user: event ids are unique per owner
    event_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(32), index=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # accepted | rejected
    section_code: Mapped[str | None] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    token_id: Mapped[str] = mapped_column(String(32))
    batch_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # the lake batches it went into
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # field, code, zh, en
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)  # kept when rejected
    message_zh: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("source", "event_id"),)

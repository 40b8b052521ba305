"""ORM: warnings and their events (every change is an event row)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenderwatch.db import Base, utcnow


class Warning(Base):
    __tablename__ = "warning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # (section or "-") | subject type | subject id: one warning per section and subject, ever.
    fingerprint: Mapped[str] = mapped_column(String(160), unique=True)
    section_code: Mapped[str | None] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    grade: Mapped[str] = mapped_column(String(8), index=True)  # red | orange | yellow
    grade_reason_zh: Mapped[str] = mapped_column(Text)
    grade_reason_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default="generated", index=True)
    entities: Mapped[list[str]] = mapped_column(JSON, default=list)
    models: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # id, version, severity, rules
    legal_basis: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    explanation_zh: Mapped[str] = mapped_column(Text)
    explanation_en: Mapped[str] = mapped_column(Text)
    benign: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    hit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    first_raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # 综合态势 counts by it
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[WarningEvent]] = relationship(
        back_populates="warning", cascade="all, delete-orphan", order_by="WarningEvent.id"
    )


class WarningEvent(Base):
    __tablename__ = "warning_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warning.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # raised | evidence_added | regraded
    actor: Mapped[str] = mapped_column(String(64), default="system")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    warning: Mapped[Warning] = relationship(back_populates="events")

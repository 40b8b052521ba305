"""ORM: model runs and the hits they produced (kept per run, so any warning traces to its run)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow


class ModelRun(Base):
    __tablename__ = "detection_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model_id: Mapped[str] = mapped_column(String(16), index=True)
    model_version: Mapped[int] = mapped_column(Integer)
    engine: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))  # active | monitor
    scope_region: Mapped[str] = mapped_column(String(6), default="")
    scope_industry: Mapped[str | None] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    hit_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class Hit(Base):
    __tablename__ = "detection_hit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("detection_run.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    section_code: Mapped[str | None] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))
    entities: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_detection_hit_subject", "subject_type", "subject_id", "section_code"),)

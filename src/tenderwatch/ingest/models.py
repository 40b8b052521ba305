"""ORM: import batches and their rejected records (quarantine)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenderwatch.db import Base, utcnow


class Batch(Base):
    """One delivered file for one dataset. received = accepted + rejected, always."""

    __tablename__ = "ingest_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(512))
    file_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # committed: in the lake and in current views; rolled_back: kept on disk, left out of views;
    # failed: nothing readable (empty file, binary garbage) — the file-level reason says why.
    status: Mapped[str] = mapped_column(String(16), default="committed")
    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_zh: Mapped[str | None] = mapped_column(Text)
    error_en: Mapped[str | None] = mapped_column(Text)
    unknown_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    lake_path: Mapped[str | None] = mapped_column(String(512))
    source: Mapped[str] = mapped_column(String(32), default="cli")  # cli | upload | api
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    rolled_back_at: Mapped[datetime | None] = mapped_column()

    rejects: Mapped[list[Reject]] = relationship(back_populates="batch", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_ingest_batch_dataset_sha", "dataset", "sha256"),)


class Reject(Base):
    """A delivered record that was not accepted, with every reason found, kept verbatim."""

    __tablename__ = "ingest_reject"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("ingest_batch.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)  # line in the file (CSV/JSONL) or row in the sheet (XLSX)
    field: Mapped[str | None] = mapped_column(String(64))  # the first failing field
    code: Mapped[str] = mapped_column(String(64))  # the first reason code
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # every problem of the record
    raw: Mapped[dict[str, str] | None] = mapped_column(JSON)  # the record as delivered

    batch: Mapped[Batch] = relationship(back_populates="rejects")

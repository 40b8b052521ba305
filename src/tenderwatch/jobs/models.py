"""ORM: one row per job run, and one lock row per job that a process holds while it runs the job.

The lock is a lease, not a database session lock: a row lock would have to stay open for the whole run
(a detection run takes minutes) and SQLite has no row locks at all. A process that dies leaves a lease
that simply runs out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow

STATUSES = ("running", "ok", "failed", "skipped")


class JobRun(Base):
    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(32), index=True)
    # Who started it: "scheduler" (the server's own schedule) or "cli:<os user>" (`tenderwatch jobs run`).
    trigger: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))  # one of STATUSES
    summary: Mapped[str] = mapped_column(Text, default="")  # what it did, or why it was skipped
    error: Mapped[str | None] = mapped_column(Text)  # why it failed (the traceback is in the log)


class JobLock(Base):
    """Held by ``holder`` until ``lease_until`` (UTC); taken with ``UPDATE … WHERE lease_until < now``."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(128))  # host:pid:random of the running process
    acquired_at: Mapped[datetime | None] = mapped_column()
    lease_until: Mapped[datetime] = mapped_column()

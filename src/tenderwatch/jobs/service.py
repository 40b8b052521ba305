"""Reading job runs: each job with its schedule, next and last run (for the command and the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenderwatch.config import Settings
from tenderwatch.jobs.definitions import JOBS, Job
from tenderwatch.jobs.models import JobRun
from tenderwatch.jobs.schedule import next_run, zone


@dataclass(frozen=True, slots=True)
class JobStatus:
    job: Job
    schedule: str
    next_run: datetime | None  # in the jobs' time zone; None when the job is off
    last: JobRun | None


def last_runs(*, db_session: Session) -> dict[str, JobRun]:
    newest = select(func.max(JobRun.id)).group_by(JobRun.name)
    return {r.name: r for r in db_session.scalars(select(JobRun).where(JobRun.id.in_(newest)))}


def recent_runs(*, db_session: Session, limit: int = 50) -> list[JobRun]:
    return list(db_session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


def statuses(*, db_session: Session, settings: Settings, now: datetime | None = None) -> list[JobStatus]:
    now = now or datetime.now(UTC)
    last = last_runs(db_session=db_session)
    return [
        JobStatus(
            job,
            job.schedule(settings),
            next_run(job.schedule(settings), settings.jobs_timezone, now),
            last.get(job.name),
        )
        for job in JOBS
    ]


def local_time(settings: Settings, at: datetime | None) -> datetime | None:
    """A stored time (naive UTC) in the jobs' time zone, for display."""
    if at is None:
        return None
    return at.replace(tzinfo=UTC).astimezone(zone(settings.jobs_timezone))

"""Running one job: take its lock, record the run, do the work, record how it ended.

The scheduler and ``tenderwatch jobs run`` both come through ``run``, so a run from the command is
recorded and locked exactly like a scheduled one. A job's exception is logged with its traceback and
stored as the run's error; it never reaches the scheduler.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, update

from tenderwatch.db import Database, utcnow
from tenderwatch.errors import UserError
from tenderwatch.jobs import lock
from tenderwatch.jobs.definitions import Job, Outcome, get_job
from tenderwatch.jobs.models import JobRun

log = logging.getLogger("tenderwatch.jobs")
SCHEDULER = "scheduler"
MAX_TEXT = 4000  # summary and error are for people; the full traceback is in the log


def _describe(exc: Exception) -> str:
    # A UserError's message is written for the operator; anything else is named by its type.
    return str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"


def _record(database: Database, run: JobRun) -> JobRun:
    with database.transaction() as session:
        session.add(run)
    return run


def _close_interrupted(database: Database, name: str) -> None:
    """Runs of ``name`` still marked running belong to a process that died: we hold the lock now, so
    nobody else is running it."""
    with database.transaction() as session:
        session.execute(
            update(JobRun)
            .where(JobRun.name == name, JobRun.status == "running")
            .values(
                status="failed",
                finished_at=utcnow(),
                error="中断：进程在任务结束前退出 / interrupted: the process ended before the job finished",
            )
        )


def _finish(database: Database, run: JobRun, outcome: Outcome) -> JobRun:
    with database.transaction() as session:
        run = session.merge(run)
        run.status = outcome.status
        run.summary = outcome.summary[:MAX_TEXT]
        run.error = None if outcome.error is None else outcome.error[:MAX_TEXT]
        run.finished_at = utcnow()
    return run


def _prune(database: Database, name: str) -> None:
    cutoff = utcnow() - timedelta(days=database.settings.jobs_keep_runs_days)
    with database.transaction() as session:
        session.execute(delete(JobRun).where(JobRun.name == name, JobRun.started_at < cutoff))


def run(database: Database, job: Job, trigger: str) -> JobRun:
    """Run ``job`` now unless another process is running it (then the run is recorded as skipped)."""
    lease = timedelta(seconds=database.settings.jobs_lock_lease_seconds)
    with lock.hold(database, job.name, lease) as held:
        if not held.acquired:
            log.info("job %s skipped: already running in %s", job.name, held.other)
            now = utcnow()
            return _record(
                database,
                JobRun(
                    name=job.name,
                    trigger=trigger,
                    started_at=now,
                    finished_at=now,
                    status="skipped",
                    summary=f"另一进程正在运行 / already running in another process ({held.other})",
                ),
            )
        _close_interrupted(database, job.name)
        started = _record(
            database,
            JobRun(name=job.name, trigger=trigger, started_at=utcnow(), status="running", summary=""),
        )
        try:
            outcome = job.work(database)
        except Exception as exc:
            log.exception("job %s failed", job.name)
            outcome = Outcome("failed", "", _describe(exc))
        else:
            if outcome.status == "failed":
                log.warning("job %s failed: %s (%s)", job.name, outcome.error, outcome.summary)
            else:
                log.info("job %s %s: %s", job.name, outcome.status, outcome.summary)
        finished = _finish(database, started, outcome)
        _prune(database, job.name)
    return finished


def run_job(database: Database, name: str, trigger: str) -> JobRun:
    return run(database, get_job(name), trigger)


def scheduled(database: Database, name: str) -> None:
    """What the scheduler calls. Even a fault outside the job (the database gone while recording) is
    logged here rather than left to the scheduler, whose own handler logs it less clearly."""
    try:
        run_job(database, name, SCHEDULER)
    except Exception:
        log.exception("job %s could not be run or recorded", name)

"""The real BackgroundScheduler: a job due now fires and is recorded; a failing job leaves the scheduler
and the other jobs running; the app starts the scheduler only when asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from fastapi.testclient import TestClient

from tenderwatch.audit.service import record
from tenderwatch.case.models import Case
from tenderwatch.db import Database
from tenderwatch.jobs import scheduler as jobs_scheduler
from tenderwatch.web.app import create_app
from tests.case.conftest import OpenCase
from tests.jobs.conftest import runs

WAIT = 120  # seconds; a generous bound for a loaded machine, only reached when something is broken
ALL_OFF = {
    "jobs_deadline_tick": "off",
    "jobs_notify_retry": "off",
    "jobs_audit_checkpoint": "off",
    "jobs_detect": "off",
}


@contextmanager
def running(database: Database, due_now: set[str]) -> Iterator[BackgroundScheduler]:
    """A started scheduler whose ``due_now`` jobs fire at once; yields once every one of them has run."""
    scheduler = jobs_scheduler.build(database)
    done: set[str] = set()
    all_ran = threading.Event()

    def executed(event: JobExecutionEvent) -> None:
        done.add(event.job_id)
        if due_now <= done:
            all_ran.set()

    scheduler.add_listener(executed, EVENT_JOB_EXECUTED)
    now = datetime.now(ZoneInfo(database.settings.jobs_timezone))
    for name in due_now:
        scheduler.modify_job(name, next_run_time=now)
    scheduler.start()
    try:
        assert all_ran.wait(WAIT), f"ran {done}, expected {due_now}"
        yield scheduler
    finally:
        scheduler.shutdown(wait=True)


def test_the_scheduler_fires_a_due_job_and_records_it(seeded: Database, open_case: OpenCase) -> None:
    case_id = open_case(grade="red")  # long past its deadline
    database = Database(seeded.settings.model_copy(update={**ALL_OFF, "jobs_deadline_tick": "5 0 * * *"}))
    with running(database, {"deadline_tick"}) as scheduler:
        assert [j.id for j in scheduler.get_jobs()] == ["deadline_tick"]  # "off" jobs are not scheduled
    [run] = runs(database, "deadline_tick")
    assert (run.trigger, run.status) == ("scheduler", "ok")
    with database.session() as session:
        assert session.get_one(Case, case_id).overdue
    database.dispose()


def test_a_failing_job_leaves_the_scheduler_and_the_next_job_running(
    seeded: Database, open_case: OpenCase
) -> None:
    key_file = seeded.settings.effective_audit_key_file
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("not a key\n", encoding="utf-8")
    with seeded.transaction() as session:
        record(session, "tester", "change", "case", "1", {})
    case_id = open_case(grade="red")
    database = Database(
        seeded.settings.model_copy(
            update={**ALL_OFF, "jobs_audit_checkpoint": "every 6h", "jobs_deadline_tick": "5 0 * * *"}
        )
    )
    with running(database, {"audit_checkpoint", "deadline_tick"}) as scheduler:
        assert scheduler.running
        # Both stay scheduled for their next time, the failed one too.
        assert {j.id for j in scheduler.get_jobs() if j.next_run_time is not None} == {
            "audit_checkpoint",
            "deadline_tick",
        }
    [failed] = runs(database, "audit_checkpoint")
    assert failed.status == "failed" and failed.error and "cannot read key file" in failed.error
    assert [r.status for r in runs(database, "deadline_tick")] == ["ok"]
    with database.session() as session:
        assert session.get_one(Case, case_id).overdue
    database.dispose()


def _scheduler_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "APScheduler"]


def test_the_app_runs_the_scheduler_only_when_serve_asks(sqlite_db: Database) -> None:
    settings = sqlite_db.settings
    with TestClient(create_app(settings)) as client:
        assert client.app.state.scheduler is None and _scheduler_threads() == []  # type: ignore[attr-defined]
    off = settings.model_copy(update={"jobs_enabled": False})
    with TestClient(create_app(off, start_jobs=True)) as client:
        assert client.app.state.scheduler is None  # type: ignore[attr-defined]
    app = create_app(settings, start_jobs=True)
    with TestClient(app):
        scheduler = app.state.scheduler
        assert scheduler.running and _scheduler_threads() == ["APScheduler"]
        assert {j.id for j in scheduler.get_jobs()} == {
            "deadline_tick",
            "notify_retry",
            "audit_checkpoint",
            "detect",
        }
    assert not scheduler.running and app.state.scheduler is None and _scheduler_threads() == []

"""Each job does its work through the same path as a scheduled run, and the run is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from tenderwatch.audit import keys
from tenderwatch.audit.models import AuditCheckpoint
from tenderwatch.audit.service import record
from tenderwatch.audit.verify import verify_database
from tenderwatch.case.models import Case, Department, Notification
from tenderwatch.db import Database
from tenderwatch.engine.models import ModelRun
from tenderwatch.jobs.flows import run_job
from tenderwatch.warning.models import Warning
from tests.case.conftest import OpenCase
from tests.case.sinks import smtp_sink
from tests.detection.conftest import Province, build_province
from tests.jobs.conftest import runs


def _with(database: Database, **changes: object) -> Database:
    """The same database seen with other settings (as a server configured that way would)."""
    return Database(database.settings.model_copy(update=changes))


def test_deadline_tick_makes_a_late_case_overdue_and_mails_the_notice(
    seeded: Database, open_case: OpenCase
) -> None:
    with seeded.transaction() as session:
        session.execute(update(Department).values(email="zjj@xihu.example.gov.cn"))
    case_id = open_case(grade="red")  # assigned 2026-09-30: signing for it was due 2026-10-08
    with smtp_sink() as (port, mails):
        database = _with(seeded, smtp_host="127.0.0.1", smtp_port=port)
        run = run_job(database, "deadline_tick", "test")
        database.dispose()
    assert run.status == "ok" and run.finished_at is not None and run.error is None
    assert "1 overdue, 1 supervised" in run.summary
    with seeded.session() as session:
        case = session.get_one(Case, case_id)
        assert case.overdue and case.supervised_by == "330100-building"
    # The opening notice and the two supervision notices (the department and the one above it).
    assert sum("zjj@xihu.example.gov.cn" in m for m in mails) == 3


def test_notify_retry_delivers_what_is_pending_and_reports_an_outage(
    seeded: Database, open_case: OpenCase
) -> None:
    with seeded.transaction() as session:
        session.execute(update(Department).values(email="zjj@xihu.example.gov.cn"))
    open_case()
    assert run_job(seeded, "notify_retry", "test").status == "skipped"  # no SMTP server, no webhook
    with smtp_sink() as (port, _mails):
        pass  # closed: nothing listens on the port any more
    down = _with(seeded, smtp_host="127.0.0.1", smtp_port=port)
    failed = run_job(down, "notify_retry", "test")
    down.dispose()
    assert failed.status == "failed" and failed.error is not None and "1 deliveries failed" in failed.error
    with smtp_sink() as (port, mails):
        up = _with(seeded, smtp_host="127.0.0.1", smtp_port=port)
        sent = run_job(up, "notify_retry", "test")
        up.dispose()
    assert sent.status == "ok" and "e-mails 1" in sent.summary
    assert len(mails) == 1 and "zjj@xihu.example.gov.cn" in mails[0]
    with seeded.session() as session:
        pending = session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.username.is_(None), Notification.emailed_at.is_(None))
        )
    assert pending == 0
    assert [r.status for r in runs(seeded, "notify_retry")] == ["skipped", "failed", "ok"]


def test_audit_checkpoint_needs_the_key_and_something_new(db: Database) -> None:
    key_file = db.settings.effective_audit_key_file
    first = run_job(db, "audit_checkpoint", "test")
    assert first.status == "skipped" and str(key_file) in first.summary
    assert not key_file.exists()  # the job never mints the signing key
    keys.system_key(key_file)  # what the first `tenderwatch audit checkpoint` does
    assert "empty" in run_job(db, "audit_checkpoint", "test").summary
    with db.transaction() as session:
        record(session, "tester", "change", "case", "1", {"field": "state"})
        record(session, "tester", "change", "case", "2", {"field": "state"})
    made = run_job(db, "audit_checkpoint", "test")
    assert made.status == "ok" and "2 events" in made.summary
    again = run_job(db, "audit_checkpoint", "test")  # only the checkpoint's own event is new
    assert again.status == "skipped" and "nothing new" in again.summary
    with db.transaction() as session:
        record(session, "tester", "change", "case", "3", {"field": "state"})
    assert run_job(db, "audit_checkpoint", "test").status == "ok"
    with db.session() as session:
        assert [cp.tree_size for cp in session.scalars(select(AuditCheckpoint))] == [2, 4]
        trusted = {keys.key_id(keys.read_private_key(key_file).public_key())}
        report = verify_database(session, trusted)
    assert report.ok and report.checkpoints == 2, [p.line() for p in report.problems]


def test_a_failing_job_is_recorded_and_the_next_job_still_runs(seeded: Database, open_case: OpenCase) -> None:
    key_file = seeded.settings.effective_audit_key_file
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text("not a key\n", encoding="utf-8")
    with seeded.transaction() as session:
        record(session, "tester", "change", "case", "1", {})
    case_id = open_case(grade="red")
    failed = run_job(seeded, "audit_checkpoint", "test")
    assert failed.status == "failed" and failed.finished_at is not None
    assert failed.error is not None and "cannot read key file" in failed.error
    tick = run_job(seeded, "deadline_tick", "test")
    assert tick.status == "ok"
    with seeded.session() as session:
        assert session.get_one(Case, case_id).overdue


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return build_province(tmp_path_factory.mktemp("jobs-detect"))


def test_detect_skips_an_empty_lake(sqlite_db: Database) -> None:
    run = run_job(sqlite_db, "detect", "test")
    assert run.status == "skipped" and "no data" in run.summary


def test_detect_runs_the_models_over_the_lake_and_routes_the_warnings(province: Province) -> None:
    database = _with(province.db, jobs_detect_models=["C01"])
    run = run_job(database, "detect", "test")
    assert run.status == "ok", run.error
    with database.session() as session:
        assert session.scalars(select(ModelRun.model_id)).all() == ["C01"]
        warnings = session.scalar(select(func.count()).select_from(Warning)) or 0
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
    assert warnings > 0 and cases == warnings
    assert f"warnings raised {warnings}" in run.summary and f"{cases} cases opened" in run.summary
    again = run_job(database, "detect", "test")  # warnings are raised once; nothing new to route
    assert again.status == "ok" and "warnings raised 0" in again.summary and "0 cases opened" in again.summary
    database.dispose()

"""Appenders racing each other (threads in one process, and separate processes) never fork the chain."""

from __future__ import annotations

import multiprocessing
import threading

from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.service import record
from tenderwatch.audit.verify import verify_database
from tenderwatch.config import Settings
from tenderwatch.db import Database

PER_WORKER = 15


def _append(database: Database, worker: str, start: threading.Barrier | None = None) -> None:
    if start is not None:
        start.wait()
    for i in range(PER_WORKER):
        # One transaction per event, with other work before the append, as a real caller would have.
        with database.transaction() as session:
            session.execute(select(AuditEvent.seq).limit(1)).all()
            record(session, worker, "change", "warning", f"{worker}-{i}", {"i": i})


def _process_worker(database_url: str, data_dir: str, worker: str) -> None:
    database = Database(Settings(database_url=database_url, data_dir=data_dir))
    try:
        _append(database, worker)
    finally:
        database.dispose()


def _assert_one_unbroken_chain(db: Database, workers: list[str]) -> None:
    with db.session() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)))
        subjects = set(session.scalars(select(AuditEvent.subject_id)))
        report = verify_database(session)
    total = PER_WORKER * len(workers)
    assert seqs == list(range(1, total + 1))  # no gap, no duplicate
    assert subjects == {f"{w}-{i}" for w in workers for i in range(PER_WORKER)}
    assert report.ok, [p.line() for p in report.problems]


def test_threads_append_without_forking(db: Database) -> None:
    workers = [f"t{n}" for n in range(4)]
    barrier = threading.Barrier(len(workers))
    threads = [threading.Thread(target=_append, args=(db, w, barrier)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _assert_one_unbroken_chain(db, workers)


def test_processes_append_without_forking(db: Database, settings: Settings) -> None:
    workers = ["p0", "p1", "p2"]
    context = multiprocessing.get_context("spawn")
    url = settings.effective_database_url
    procs = [context.Process(target=_process_worker, args=(url, str(settings.data_dir), w)) for w in workers]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
        assert proc.exitcode == 0
    _assert_one_unbroken_chain(db, workers)

"""One process at a time per job: the lease in job_lock, raced by two threads on the same database."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

from sqlalchemy import select

from tenderwatch.db import Database, utcnow
from tenderwatch.jobs import lock
from tenderwatch.jobs.definitions import Job, Outcome
from tenderwatch.jobs.flows import run, run_job
from tenderwatch.jobs.models import JobLock, JobRun
from tests.jobs.conftest import runs

WAIT = 60  # seconds; only ever reached when something is broken


def test_of_two_threads_racing_for_a_lock_exactly_one_gets_it(sqlite_db: Database) -> None:
    lease = timedelta(minutes=5)
    for round_ in range(4):  # the first round creates the row (insert race), the others update it
        barrier = threading.Barrier(2)
        won: dict[str, bool] = {}

        def take(holder: str, barrier: threading.Barrier = barrier, won: dict[str, bool] = won) -> None:
            barrier.wait(WAIT)
            won[holder] = lock.acquire(sqlite_db, "race", holder, lease)

        threads = [threading.Thread(target=take, args=(f"t{round_}-{n}",)) for n in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT)
        assert sorted(won.values()) == [False, True], won
        winner = next(h for h, ok in won.items() if ok)
        assert lock.current(sqlite_db, "race").holder == winner  # type: ignore[union-attr]
        assert not lock.renew(sqlite_db, "race", "someone else", lease)
        lock.release(sqlite_db, "race", winner)


def test_a_job_running_in_one_thread_is_skipped_in_another(sqlite_db: Database) -> None:
    started, proceed = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow(_database: Database) -> Outcome:
        calls.append("ran")
        started.set()
        assert proceed.wait(WAIT)
        return Outcome("ok", "done")

    job = Job("slow", "jobs_detect", "slow", slow)
    first: list[JobRun] = []
    runner = threading.Thread(target=lambda: first.append(run(sqlite_db, job, "thread-1")))
    runner.start()
    assert started.wait(WAIT)
    second = run(sqlite_db, job, "thread-2")
    proceed.set()
    runner.join(WAIT)
    assert calls == ["ran"]
    assert second.status == "skipped" and "already running" in second.summary
    assert f"{socket.gethostname()}:{os.getpid()}:" in second.summary  # names the holder
    assert first[0].status == "ok" and first[0].summary == "done"
    assert [(r.trigger, r.status) for r in runs(sqlite_db, "slow")] == [
        ("thread-1", "ok"),
        ("thread-2", "skipped"),
    ]
    # Released: the next run goes ahead.
    assert run(sqlite_db, job, "after").status == "ok"


def test_a_lapsed_lease_is_taken_over_and_the_dead_run_closed(sqlite_db: Database) -> None:
    # A process took the lock and died mid-run: its lease has lapsed, its run row still says running.
    assert lock.acquire(sqlite_db, "deadline_tick", "dead:1:x", timedelta(seconds=-1))
    with sqlite_db.transaction() as session:
        session.add(JobRun(name="deadline_tick", trigger="scheduler", started_at=utcnow(), status="running"))
    fresh = run_job(sqlite_db, "deadline_tick", "test")
    assert fresh.status == "ok"
    dead = runs(sqlite_db, "deadline_tick")[0]
    assert dead.status == "failed" and dead.error is not None and "interrupted" in dead.error
    with sqlite_db.session() as session:
        row = session.scalars(select(JobLock).where(JobLock.name == "deadline_tick")).one()
        assert row.holder is None and row.lease_until < utcnow()  # released after the run

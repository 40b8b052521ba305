"""One process at a time per job: a lease in ``job_lock``, taken with a conditional UPDATE.

``UPDATE job_lock SET holder = me, lease_until = now + lease WHERE name = :job AND lease_until < now``
changes one row for exactly one of two racing processes: PostgreSQL re-checks the condition after the
first writer commits, SQLite lets only one writer in at a time (busy_timeout makes the second wait, then
its WHERE no longer matches). The lease is renewed by a heartbeat while the job runs, so a long run keeps
it, and a crashed process's lease simply lapses.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from tenderwatch.db import Database, utcnow
from tenderwatch.jobs.models import JobLock

log = logging.getLogger("tenderwatch.jobs")


def holder_id() -> str:
    """Names the process (host and pid, for whoever reads the lock) and this run (the random part)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


def _changed(result: Any) -> int:
    return int(getattr(result, "rowcount", 0))


def acquire(database: Database, name: str, holder: str, lease: timedelta) -> bool:
    """Take the lock of ``name`` for ``holder`` unless another holder's lease is still running."""
    now = utcnow()
    with database.transaction() as session:
        taken = session.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.lease_until < now)
            .values(holder=holder, acquired_at=now, lease_until=now + lease)
        )
        if _changed(taken) == 1:
            return True
        if session.get(JobLock, name) is not None:
            return False
    # The first run of this job anywhere: create its row. Two first runs both try; the primary key lets
    # one in and the other gets an IntegrityError, which is the same answer as a held lease.
    try:
        with database.transaction() as session:
            session.add(JobLock(name=name, holder=holder, acquired_at=now, lease_until=now + lease))
    except IntegrityError:
        return False
    return True


def renew(database: Database, name: str, holder: str, lease: timedelta) -> bool:
    """Push the lease on; False when ``holder`` no longer holds it (it lapsed and was taken)."""
    with database.transaction() as session:
        result = session.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.holder == holder)
            .values(lease_until=utcnow() + lease)
        )
    return _changed(result) == 1


def release(database: Database, name: str, holder: str) -> None:
    with database.transaction() as session:
        session.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.holder == holder)
            .values(holder=None, lease_until=datetime(2000, 1, 1))
        )


def current(database: Database, name: str) -> JobLock | None:
    with database.session() as session:
        return session.get(JobLock, name)


@dataclass
class Held:
    """The outcome of ``hold``: whether this process got the lock, and if not, who has it."""

    acquired: bool
    holder: str
    other: str | None = None


@contextmanager
def hold(database: Database, name: str, lease: timedelta) -> Iterator[Held]:
    """Hold the lock of ``name`` for the block, renewing the lease every third of it; ``acquired`` is
    False (and the block should do nothing) when another process holds it."""
    me = holder_id()
    if not acquire(database, name, me, lease):
        row = current(database, name)
        yield Held(False, me, row.holder if row is not None else None)
        return
    stop = threading.Event()

    def heartbeat() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            try:
                if not renew(database, name, me, lease):
                    log.warning("job %s: lost the lock (lease lapsed and was taken by another process)", name)
                    return
            except Exception:
                # A database hiccup must not end the heartbeat thread silently; the next beat retries.
                log.exception("job %s: could not renew the lock", name)

    beat = threading.Thread(target=heartbeat, name=f"job-lock-{name}", daemon=True)
    beat.start()
    try:
        yield Held(True, me)
    finally:
        stop.set()
        beat.join()
        release(database, name, me)

"""The in-process scheduler of ``tenderwatch serve``: one APScheduler 3 ``BackgroundScheduler`` with one
entry per job that is not ``off``.

Each process keeps its schedule in memory; ``job_lock`` (not the scheduler) is what stops two processes
from running a job at the same time. ``coalesce`` folds runs missed while the process was busy or asleep
into one, and ``max_instances=1`` keeps a slow run from overlapping its own next firing in this process.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from tenderwatch.db import Database
from tenderwatch.jobs.definitions import JOBS
from tenderwatch.jobs.flows import scheduled
from tenderwatch.jobs.schedule import trigger, zone

log = logging.getLogger("tenderwatch.jobs")
# A firing more than this late (the machine slept, the process was starved) is dropped, not run late:
# the next one comes at its time anyway.
MISFIRE_GRACE_SECONDS = 600


def build(database: Database) -> BackgroundScheduler:
    """The scheduler with every enabled job added, not started."""
    settings = database.settings
    scheduler = BackgroundScheduler(
        timezone=zone(settings.jobs_timezone),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
    for job in JOBS:
        when = trigger(job.schedule(settings), settings.jobs_timezone)
        if when is None:
            log.info("job %s is off (%s)", job.name, job.setting)
            continue
        scheduler.add_job(scheduled, when, args=(database, job.name), id=job.name, name=job.name)
    return scheduler


def start(database: Database) -> BackgroundScheduler:
    scheduler = build(database)
    scheduler.start()
    for entry in scheduler.get_jobs():
        log.info("job %s scheduled, next run %s", entry.id, entry.next_run_time)
    return scheduler

"""Scheduled jobs: the deadline tick, notification retries, audit checkpoints and periodic detection.

``tenderwatch serve`` runs them on an in-process APScheduler 3 ``BackgroundScheduler``; ``tenderwatch jobs
run NAME`` runs one now through the same code. Every run is recorded in ``job_run``; a lease in
``job_lock`` keeps two processes from running the same job at once. See docs/jobs.md.
"""

"""Jobs fixtures: the case fixtures (departments, users, a case factory), the web fixtures (an app and
clients signed in per role) and a way to read job runs."""

from __future__ import annotations

from sqlalchemy import select

from tenderwatch.db import Database
from tenderwatch.jobs.models import JobRun
from tests.case.conftest import _cheap_password_hashing, open_case, seeded
from tests.web.conftest import app, client, client_as

__all__ = ["_cheap_password_hashing", "app", "client", "client_as", "open_case", "runs", "seeded"]


def runs(database: Database, name: str) -> list[JobRun]:
    with database.session() as session:
        return list(session.scalars(select(JobRun).where(JobRun.name == name).order_by(JobRun.id)))

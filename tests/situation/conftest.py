"""The tiny synthetic province, imported, run through detection and given cases, once per session.

Detection stamps warnings with the time it ran; the fixture moves them to fixed instants around
``DAY`` (the screen's "today" in these tests) so that today / this month / this year each hold some,
including the two instants either side of midnight in China (UTC+8) that a UTC date would misfile.
Cases are opened twelve days before ``DAY`` and the deadline tick runs on ``DAY``: red cases not signed
for within a working day become overdue, the others are still within their deadlines. A few warnings
are closed, so "raised" and "open" differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.case import deadlines
from tenderwatch.case import flows as case_flows
from tenderwatch.case.models import Case
from tenderwatch.case.routing import seed_departments
from tenderwatch.engine.flows import detect
from tenderwatch.warning.models import Warning
from tenderwatch.web.app import create_app
from tests.detection.conftest import Province, build_province

DAY = date(2025, 10, 23)  # a Thursday with bids in the tiny province (seed 1)
CASES_OPENED = DAY - timedelta(days=12)
# (UTC instant) for the first warnings by id; the rest spread over the year before DAY.
PLACED = [
    datetime(2025, 10, 22, 16, 30),  # 00:30 on DAY in China: today
    datetime(2025, 10, 23, 15, 59),  # 23:59 on DAY in China: today
    datetime(2025, 10, 23, 16, 30),  # 00:30 the next day in China: not today, still this month
    datetime(2025, 9, 30, 16, 0),  # 00:00 on 1 October in China: this month's first instant
    datetime(2025, 9, 30, 15, 59),  # 23:59 on 30 September in China: last month
]
CLOSED = 4  # warnings (by id, after the placed ones) closed with their cases


@dataclass
class Situation:
    province: Province
    warning_ids: list[int]
    closed_ids: list[int]


@pytest.fixture(scope="session")
def situation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Situation]:
    province = build_province(tmp_path_factory.mktemp("situation"))
    db = province.db
    summary = detect(db)
    assert summary.warnings.get("raised", 0) > 20
    with db.transaction() as session:
        warnings = list(session.scalars(select(Warning).order_by(Warning.id)))
        for i, warning in enumerate(warnings):
            warning.first_raised_at = (
                PLACED[i]
                if i < len(PLACED)
                else datetime(2025, 10, 23, 2, 0) - timedelta(days=7 * (i - len(PLACED) + 1))
            )
        seed_departments(db_session=session)
        case_flows.open_all(db_session=session, settings=db.settings, today=CASES_OPENED)
        session.flush()
        deadlines.tick(db_session=session, today=DAY)
        closed = warnings[len(PLACED) : len(PLACED) + CLOSED]
        for warning in closed:
            case = session.scalars(select(Case).where(Case.warning_id == warning.id)).one()
            case.state = "closed"
            warning.status = "closed"
        ensure_demo_accounts(db_session=session)
        ids = [w.id for w in warnings]
        closed_ids = [w.id for w in closed]
    yield Situation(province, ids, closed_ids)
    db.dispose()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def app(situation: Situation) -> FastAPI:
    return create_app(situation.province.settings)


@pytest.fixture
def web(app: FastAPI) -> Iterator[TestClient]:
    # Not entered as a context manager: the lifespan would dispose the session-wide database.
    yield TestClient(app, raise_server_exceptions=False)


def lake_dir(situation: Situation) -> Path:
    return situation.province.settings.lake_dir

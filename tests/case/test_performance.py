"""Case performance per department and grade (working days, on time, returns, outcomes) and the case
timeline download, through the real app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from tenderwatch.audit.models import AuditEvent
from tenderwatch.case.calendar import add_working_days, working_days_between
from tenderwatch.case.metrics import quantile
from tenderwatch.case.models import Case, CaseEvent
from tenderwatch.case.pages import EVENT_LABELS
from tenderwatch.case.schemas import ConclusionIn
from tenderwatch.db import Database
from tests.case.conftest import OpenCase, answer_all, to_verifying
from tests.case.test_api import app  # noqa: F401 - the app fixture over the seeded database
from tests.case.test_lifecycle import review, submit
from tests.web.conftest import csrf_of


def test_working_days_between_inverts_the_deadline_calendar() -> None:
    # Across National Day, the Spring Festival and adjusted working days: counting back what
    # add_working_days counted forward gives the same number.
    for start in (date(2026, 9, 30), date(2026, 2, 13), date(2025, 12, 31), date(2026, 5, 1)):
        for n in (0, 1, 3, 10, 25):
            end, _ = add_working_days(start, n)
            assert working_days_between(start, end) == n
    assert working_days_between(date(2026, 10, 10), date(2026, 10, 1)) == 0


def test_quantile_is_nearest_rank() -> None:
    assert quantile([], 0.5) is None
    assert quantile([7], 0.9) == 7.0
    assert quantile([5, 1, 3, 2, 4], 0.5) == 3.0
    assert quantile(list(range(1, 11)), 0.9) == 9.0


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + " 02:00:00")  # 10:00 in Beijing: the same local date


def _set_times(db: Database, case_id: int, created: str, due: str, kinds: dict[str, list[str]]) -> None:
    """Move the case's timestamps to fixed days: ``kinds`` maps an event kind to the days of its
    occurrences in order."""
    with db.transaction() as session:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(created_at=_at(created), due_date=date.fromisoformat(due))
        )
        for kind, days in kinds.items():
            ids = session.scalars(
                select(CaseEvent.id)
                .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                .order_by(CaseEvent.id)
            ).all()
            assert len(ids) == len(days), (kind, ids)
            for event_id, day in zip(ids, days, strict=True):
                session.execute(update(CaseEvent).where(CaseEvent.id == event_id).values(at=_at(day)))


def _sign_in(client: TestClient, username: str, password: str) -> TestClient:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


@pytest.fixture
def worked(seeded: Database, open_case: OpenCase) -> dict[str, int]:
    """Three cases of 330106 building: one on time, one late after a return, one still open."""
    on_time = open_case(grade="red")
    to_verifying(seeded, on_time)
    doc = answer_all(seeded, on_time)
    submit(seeded, on_time, "reg", ConclusionIn(outcome="unverifiable", reason="已注销", evidence_ids=[doc]))
    review(seeded, on_time, "rev", approve=True)
    _set_times(
        seeded, on_time, "2026-10-09", "2026-10-21", {"accept": ["2026-10-12"], "submit": ["2026-10-20"]}
    )
    late = open_case(grade="red")
    to_verifying(seeded, late)
    doc = answer_all(seeded, late)
    submit(seeded, late, "reg", ConclusionIn(outcome="unverifiable", reason="已注销", evidence_ids=[doc]))
    review(seeded, late, "rev", approve=False, reason="补充银行流水")
    submit(seeded, late, "reg", ConclusionIn(outcome="unverifiable", reason="仍无法调取", evidence_ids=[doc]))
    _set_times(
        seeded,
        late,
        "2026-10-09",
        "2026-10-21",
        {"accept": ["2026-10-09"], "submit": ["2026-10-16", "2026-10-26"]},
    )
    still_open = open_case(grade="yellow")
    with seeded.transaction() as session:
        session.execute(update(Case).where(Case.id == still_open).values(overdue=True))
    return {"on_time": on_time, "late": late, "open": still_open}


@pytest.fixture
def reviewer(app: FastAPI) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(app, raise_server_exceptions=False) as client:
        yield _sign_in(client, "rev", "x")


def test_performance_per_department_and_grade(
    app: FastAPI,  # noqa: F811
    seeded: Database,
    worked: dict[str, int],
    reviewer: TestClient,
) -> None:
    body = reviewer.get("/api/v1/cases/performance").json()
    groups = {(g["department_code"], g["grade"]): g for g in body["groups"]}
    red, yellow, total = (
        groups[("330106-building", "red")],
        groups[("330106-building", "yellow")],
        groups[("*", "*")],
    )
    opened = date(2026, 10, 9)
    assert (red["cases"], red["open"], red["returns"], red["overdue"]) == (2, 1, 1, 0)  # `late` awaits review
    assert red["sign_days_median"] == float(
        min(working_days_between(opened, date(2026, 10, 12)), working_days_between(opened, opened))
    )
    # Feedback days: the last submission counts: 10-20 for one, 10-26 for the other.
    days = sorted(working_days_between(opened, date(2026, 10, d)) for d in (20, 26))
    assert (red["feedback_days_median"], red["feedback_days_p90"]) == (float(days[0]), float(days[1]))
    assert red["on_time_rate"] == 0.5 and red["outcomes"]["unverifiable"] == 1
    assert (yellow["cases"], yellow["open"], yellow["overdue"], yellow["on_time_rate"]) == (1, 1, 1, None)
    assert total["cases"] == 3 and total["open"] == 2
    # A period that ends before the cases were opened holds none of them.
    none = reviewer.get("/api/v1/cases/performance", params={"until": "2026-10-08"}).json()
    assert [g["cases"] for g in none["groups"]] == [0]
    assert reviewer.get(
        "/api/v1/cases/performance", params={"since": "2026-10-10", "until": "2026-10-01"}
    ).status_code in (400, 422)
    assert 'href="/cases/performance"' in reviewer.get("/cases").text
    page = reviewer.get("/cases/performance")
    assert page.status_code == 200 and "办理绩效" in page.text and "330106-building" in page.text
    assert "50%" in page.text


def test_performance_is_filtered_by_jurisdiction(app: FastAPI, worked: dict[str, int]) -> None:  # noqa: F811
    with TestClient(app, raise_server_exceptions=False) as ningbo:
        _sign_in(ningbo, "insp_ningbo", "x")
        groups = ningbo.get("/api/v1/cases/performance").json()["groups"]
        assert [(g["department_code"], g["cases"]) for g in groups] == [("*", 0)]
        assert ningbo.get(f"/cases/{worked['late']}/timeline.csv").status_code == 404


def test_timeline_download_is_the_history_and_is_audited(
    seeded: Database, worked: dict[str, int], reviewer: TestClient
) -> None:
    case_id = worked["late"]
    assert f'href="/cases/{case_id}/timeline.csv"' in reviewer.get(f"/cases/{case_id}").text
    response = reviewer.get(f"/cases/{case_id}/timeline.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff时间(UTC),操作人,操作")
    lines = text.strip().splitlines()
    with seeded.session() as session:
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
        assert [line.split(",")[2] for line in lines[1:]] == [EVENT_LABELS[k][0] for k in kinds]
        assert "return" in kinds and "退回" in text and "已反馈待审核" in text
        exported = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.subject_type == "case")
        ).all()
        assert [(e.actor, e.subject_id, e.details["what"]) for e in exported] == [
            ("rev", str(case_id), "timeline")
        ]

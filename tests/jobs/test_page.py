"""/jobs: the administrator sees each job and its last runs, in Chinese and English; nobody else does."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tenderwatch.db import Database
from tenderwatch.jobs.flows import run_job


def test_the_admin_sees_the_jobs_and_their_last_runs(
    db: Database, client_as: Callable[[str], TestClient]
) -> None:
    run_job(db, "deadline_tick", "cli:ops")
    run_job(db, "audit_checkpoint", "scheduler")  # skipped: no signing key yet
    client = client_as("admin")
    home = client.get("/")
    assert 'href="/jobs"' in home.text
    page = client.get("/jobs")
    assert page.status_code == 200
    text = page.text
    assert "定时任务" in text and "标记超期案件、上提一级督办并发送通知" in text
    for name in ("deadline_tick", "notify_retry", "audit_checkpoint", "detect"):
        assert f'id="job-{name}"' in text
    assert "成功" in text and "跳过" in text and "从未运行" in text and "0 overdue" in text
    assert "no signing key" in text and "cli:ops" in text
    client.get("/lang/en", params={"next": "/jobs"})
    english = client.get("/jobs").text
    assert "Scheduled jobs" in english and "Succeeded" in english and "Skipped" in english
    assert "Never run" in english and "every 5m" in english


def test_others_are_refused_and_see_no_link(
    client: TestClient, client_as: Callable[[str], TestClient]
) -> None:
    anonymous = client.get("/jobs", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 307) and "/login" in anonymous.headers["location"]
    inspector = client_as("inspector")
    assert inspector.get("/jobs").status_code == 403
    assert 'href="/jobs"' not in inspector.get("/").text

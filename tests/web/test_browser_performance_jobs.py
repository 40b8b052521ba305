"""Two pages reached from the menu, in a real browser: the inspector follows the case list to 办理绩效
(case performance) for a case just routed, and the administrator opens the scheduled jobs and sees a run
recorded; each in Chinese and, once, in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.case import flows
from tenderwatch.case.routing import seed_departments
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.jobs.flows import run_job
from tests.case.conftest import make_warning
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path / "var")
    database = Database(settings)
    database.upgrade()
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
        seed_departments(db_session=session)
        warning = make_warning(session, grade="red")
        flows.open_case(db_session=session, settings=settings, warning=warning, today=date(2026, 9, 30))
    run_job(database, "deadline_tick", "scheduler")
    database.dispose()
    with running_server(settings) as url:
        yield url


def test_case_performance_and_scheduled_jobs_pages(server: str) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(15_000)
            sign_in(page, server, "inspector", "/cases")
            page.click("#performance-link")
            expect(page).to_have_url(re.compile(r"/cases/performance$"))
            expect(page.locator("h1")).to_have_text("办理绩效")
            table = page.locator("#performance-table")
            expect(table).to_contain_text("330106-building")
            expect(table.locator("tr.total")).to_contain_text("合计")
            expect(table.locator(".grade-red").first).to_have_text("红色")
            page.screenshot(path=str(ARTIFACTS / "performance-01-zh.png"), full_page=True)
            page.click("#lang-switch")
            expect(page.locator("h1")).to_have_text("Case performance")
            page.screenshot(path=str(ARTIFACTS / "performance-02-en.png"), full_page=True)

            admin = browser.new_context(locale="zh-CN").new_page()
            admin.set_default_timeout(15_000)
            sign_in(admin, server, "admin", "/")
            admin.click("a[href='/jobs']")
            expect(admin).to_have_url(re.compile(r"/jobs$"))
            expect(admin.locator("h1")).to_have_text("定时任务")
            expect(admin.locator("#job-deadline_tick")).to_be_visible()
            expect(admin.locator("#runs-table")).to_contain_text("deadline_tick")
            admin.screenshot(path=str(ARTIFACTS / "jobs-01-zh.png"), full_page=True)
        finally:
            browser.close()

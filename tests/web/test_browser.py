"""The data steward's journey in a real browser (Debian's chromium through Playwright):
sign in → catalogue → template → upload → batch → rejects in Chinese → English.

Never ``playwright install``: the system chromium is used. Without it the test skips, except under CI
(``CI`` set), where a missing browser is a broken machine and must fail loudly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tenderwatch.auth.flows import DEMO_PASSWORD, demo_username, ensure_demo_accounts
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tests.web.data import BAD_USCC, projects_csv

if TYPE_CHECKING:
    from playwright.sync_api import Page
from tests.web.live import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, role: str, target: str) -> None:
    """Open ``target`` as the demo account of ``role``: through the login page it redirects to, and back."""
    from playwright.sync_api import expect

    page.goto(f"{base}{target}")
    page.fill("#username", demo_username(role))
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install Debian's chromium and fonts-wqy-microhei (make browser)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path / "var")
    database = Database(settings)
    database.upgrade()
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
    database.dispose()
    with running_server(settings) as url:
        yield url


def test_data_steward_journey(live_server: str, tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    upload_file = tmp_path / "tender_projects.csv"
    upload_file.write_bytes(projects_csv())

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(accept_downloads=True, locale="zh-CN").new_page()
            page.set_default_timeout(15_000)

            page.goto(f"{live_server}/catalog")
            expect(page).to_have_url(re.compile(r"/login\?next="))
            page.fill("#username", "demo-data-steward")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/catalog$"))
            expect(page.locator("h1")).to_have_text("数据共享清单")
            expect(page.locator("#catalog-table")).to_contain_text("招标项目")
            expect(page.locator("#catalog-table")).to_contain_text("公共资源交易中心")
            page.screenshot(path=str(ARTIFACTS / "01-catalogue-zh.png"), full_page=True)

            page.click("a[href='/catalog/tender_projects']")
            expect(page.locator("#fields-table")).to_contain_text("招标人统一社会信用代码")
            with page.expect_download() as download_info:
                page.click("#download-csv-zh")
            template = Path(download_info.value.path()).read_bytes()
            assert template.startswith(b"\xef\xbb\xbf") and "招标项目编号" in template.decode("utf-8-sig")
            page.screenshot(path=str(ARTIFACTS / "02-dataset-zh.png"), full_page=True)

            page.click("a[href='/upload']")
            page.set_input_files("#file", str(upload_file))
            page.click("#upload-submit")
            expect(page).to_have_url(re.compile(r"/batches/\d+$"))
            received = int(page.inner_text("#count-received").replace(",", ""))
            accepted = int(page.inner_text("#count-accepted").replace(",", ""))
            rejected = int(page.inner_text("#count-rejected").replace(",", ""))
            assert (received, accepted, rejected) == (5, 3, 2)
            assert received == accepted + rejected

            rejects = page.locator("#reject-table")
            expect(rejects).to_contain_text("不是有效的统一社会信用代码")
            expect(rejects).to_contain_text("必填字段“项目名称”为空")
            expect(rejects).to_contain_text(BAD_USCC)
            page.screenshot(path=str(ARTIFACTS / "03-batch-rejects-zh.png"), full_page=True)

            page.click("#lang-switch")
            expect(page).to_have_url(re.compile(r"/batches/\d+$"))
            expect(rejects).to_contain_text("is not a valid Unified Social Credit Code")
            expect(rejects).to_contain_text("required field 'Project name' is empty")
            expect(page.locator("#lang-switch")).to_have_text("中文")
            page.screenshot(path=str(ARTIFACTS / "04-batch-rejects-en.png"), full_page=True)

            page.click("a[href='/batches']")
            expect(page.locator("#batch-table")).to_contain_text("tender_projects.csv")
            expect(page.locator("#batch-table")).to_contain_text("Committed")
            # The filter is htmx (served from /static/vendor under the CSP): only the table is swapped.
            page.select_option("#dataset-filter", "bids")
            expect(page).to_have_url(re.compile(r"/batches\?dataset=bids"))
            expect(page.locator("#batch-table")).to_contain_text("No batches yet.")
            page.select_option("#dataset-filter", "tender_projects")
            expect(page.locator("#batch-table")).to_contain_text("tender_projects.csv")
        finally:
            browser.close()

"""The inspector's journey in a real browser over the tiny synthetic province (imported and run
through detection once per session): warnings → a red warning's evidence and legal basis in Chinese
→ the graph of one of its companies → a collision preset and its XLSX.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tenderwatch.auth.flows import DEMO_PASSWORD, ensure_demo_accounts
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.synth import generate
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def province_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("province")
    generate("tiny", 1, root / "synth")
    settings = Settings(data_dir=root / "var")
    database = Database(settings)
    database.upgrade()
    ingest_paths(database, [root / "synth"])
    summary = detect(database)
    assert summary.warnings.get("raised", 0) > 0
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
    database.dispose()
    with running_server(settings) as url:
        yield url


def test_inspector_journey(province_server: str) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(
                accept_downloads=True, locale="zh-CN", viewport={"width": 1400, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{province_server}/warnings")
            page.fill("#username", "demo-inspector")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/warnings$"))
            expect(page.locator("h1")).to_have_text("预警")
            assert int(page.inner_text("#count-red .value").replace(",", "")) >= 1
            page.screenshot(path=str(ARTIFACTS / "10-warnings-zh.png"), full_page=True)

            # The grade filter swaps only the table (htmx).
            page.select_option("#f-grade", "red")
            expect(page).to_have_url(re.compile(r"grade=red"))
            expect(page.locator("#warning-table a.grade-orange")).to_have_count(0)
            page.locator("#warning-table a.grade-red").first.click()
            expect(page).to_have_url(re.compile(r"/warnings/\d+$"))
            expect(page.locator("#warning-grade")).to_have_text("红色")
            # Whichever model raised it, the basis is a Chinese statute and every value cites its record.
            expect(page.locator("#legal-basis")).to_contain_text(re.compile(r"《.+》"))
            expect(page.locator("#evidence-table a[href^='/catalog/']").first).to_be_visible()
            expect(page.locator("#evidence-table td.value").first).not_to_be_empty()
            expect(page.locator("#grade-reason")).to_contain_text(re.compile(r"[\u4e00-\u9fff]"))
            page.screenshot(path=str(ARTIFACTS / "11-red-warning-zh.png"), full_page=True)

            page.locator("#entities a.entity").first.click()
            expect(page).to_have_url(re.compile(r"/graph\?node=company"))
            # graph.js records how many nodes it drew (the CSP forbids wait_for_function's eval).
            expect(page.locator("#graph-chart")).to_have_attribute(
                "data-nodes", re.compile(r"^([2-9]|\d{2,})$")
            )
            expect(page.locator("#graph-chart canvas").first).to_be_visible()
            expect(page.locator("#graph-legend")).to_contain_text("银行账户")
            page.wait_for_timeout(1500)  # let the force layout settle for the screenshot
            page.screenshot(path=str(ARTIFACTS / "12-graph-zh.png"), full_page=True)

            page.click("a[href='/collision']")
            page.click("a[data-preset='personnel_social_insurance']")
            expect(page.locator("#count-match .value")).not_to_have_text("0")
            page.click("#part-left")
            expect(page.locator("#collision-rows")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "13-collision-zh.png"), full_page=True)
            with page.expect_download() as download_info:
                page.click("#collision-export")
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            content = Path(download.path()).read_bytes()
            assert content[:2] == b"PK"  # a zip container, as every XLSX is
            assert not errors, errors
        finally:
            browser.close()

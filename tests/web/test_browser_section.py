"""The section view in a real browser over the tiny synthetic province (imported and run through
detection once): the search box, a section with a planted same-machine pair and its warning, the
three charts drawn (bids, expert-score heat map, bidder graph), no script error and no CSP violation,
in Chinese and in English. Screenshots go to test-artifacts/section-NN-*.png.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

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


@pytest.fixture(scope="module")
def section_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, object], dict[str, object]]]:
    root = tmp_path_factory.mktemp("section-province")
    generate("tiny", 1, root / "synth")
    truth = json.loads((root / "synth" / "truth.json").read_text(encoding="utf-8"))
    scheme = next(s for s in truth["schemes"] if s["type"] == "same_machine_composite")
    spread = next(s for s in truth["schemes"] if s["type"] == "extreme_score_spread")
    settings = Settings(data_dir=root / "var")
    database = Database(settings)
    database.upgrade()
    ingest_paths(database, [root / "synth"])
    assert detect(database).warnings.get("raised", 0) > 0
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
    database.dispose()
    with running_server(settings) as url:
        yield url, scheme, spread


def test_section_view_draws_its_charts(
    section_server: tuple[str, dict[str, object], dict[str, object]],
) -> None:
    _require_chromium()
    from playwright.sync_api import ConsoleMessage, expect, sync_playwright

    url, scheme, spread = section_server
    code = str(scheme["sections"][0])  # type: ignore[index]
    pair = [str(c) for c in scheme["companies"]]  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def on_console(message: ConsoleMessage) -> None:
                # A CSP refusal is reported as a console error ("Refused to … Content Security Policy").
                where = str(message.location.get("url", ""))
                if where.endswith("/favicon.ico"):
                    return  # the browser asks for an icon the app does not have; not the page's doing
                if message.type == "error" or "Content Security Policy" in message.text:
                    errors.append(f"{message.text} {where}")

            page.on("console", on_console)
            page.on(
                "response",
                lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )

            page.goto(f"{url}/sections")
            page.fill("#username", "demo-inspector")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/sections$"))
            expect(page.locator("h1")).to_have_text("标段分析")
            page.fill("#section-q", code)
            page.click("#section-search button[type=submit]")
            expect(page).to_have_url(re.compile(rf"/sections/{code}$"))

            # section.js marks each chart with the number of items it drew (the CSP forbids eval).
            expect(page.locator("#bid-chart")).to_have_attribute("data-rendered", re.compile(r"^[1-9]\d*$"))
            expect(page.locator("#score-chart")).to_have_attribute("data-rendered", re.compile(r"^[1-9]\d*$"))
            # The first graph request builds the correlation graph of the whole lake: give it time.
            expect(page.locator("#section-graph")).to_have_attribute(
                "data-rendered", re.compile(r"^([3-9]|\d{2,})$"), timeout=90_000
            )
            for chart in ("#bid-chart", "#score-chart", "#section-graph"):
                expect(page.locator(f"{chart} canvas").first).to_be_visible()
            # The planted pair's machine code is marked shared, in both of their columns.
            machine = page.locator(
                "#fingerprint-table tr[data-field='bid_fingerprints.machine_code'] code.shared"
            )
            expect(machine).to_have_count(2)
            for company in pair:
                expect(page.locator(f"#shared-summary span.bidder[title='{company}']").first).to_be_visible()
            expect(page.locator("#warning-list a[href^='/warnings/']").first).to_be_visible()
            expect(page.locator("#screen-table")).to_contain_text("变异系数")
            page.wait_for_timeout(1500)  # let the force layout settle for the screenshot
            page.screenshot(path=str(ARTIFACTS / "section-01-view-zh.png"), full_page=True)
            page.locator("#scores").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "section-02-scores-zh.png"))
            page.locator("#graph").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "section-03-graph-zh.png"))

            # From the warning back to the section.
            page.locator("#warning-list a[href^='/warnings/']").first.click()
            expect(page.locator("#section-link")).to_have_attribute("href", f"/sections/{code}")
            page.click("#section-link")
            expect(page).to_have_url(re.compile(rf"/sections/{code}$"))

            # A planted 天地分: the heat map outlines the extreme scores and the table lists them.
            page.goto(f"{url}/sections/{spread['sections'][0]}")  # type: ignore[index]
            expect(page.locator("#score-chart")).to_have_attribute("data-rendered", re.compile(r"^[1-9]\d*$"))
            expect(page.locator("#expert-table .outlier-cell").first).to_be_visible()
            page.locator("#scores").scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "section-05-score-outliers-zh.png"))

            page.click("#lang-switch")
            expect(page.locator("#screen-table")).to_contain_text("Coefficient of variation")
            expect(page.locator("#section-graph")).to_have_attribute(
                "data-rendered", re.compile(r"^\d+$"), timeout=30_000
            )
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "section-04-view-en.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()

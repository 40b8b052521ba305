"""A replay watched in a real browser: the tiny province's history is imported, then the last twenty days
are pushed through the push API in time order (the same ``push_all`` as ``tenderwatch replay``) while a
discipline inspector keeps 综合态势 open. The counts grow without a reload as events arrive, the openings
raise warnings, and when the replay ends the screen shows exactly what the API counts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tenderwatch.auth.flows import DEMO_PASSWORD, ensure_demo_accounts
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.push.replay import prepare, push_all
from tenderwatch.push.timeline import build
from tenderwatch.synth import generate
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _value(page: Any, selector: str) -> int:
    return int(str(page.inner_text(selector)).replace(",", ""))


def test_the_situation_screen_follows_a_replay(tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    generate("tiny", 1, tmp_path / "synth")
    timeline = build(tmp_path / "synth", tmp_path / "work" / "history", days=20)
    settings = Settings(data_dir=tmp_path / "work" / "var")
    token = prepare(settings, timeline)  # history imported as files, a platform token issued
    database = Database(settings)
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
    database.dispose()
    last_day = max(str(e["occurred_at"]) for e in timeline.events)[:10]
    screen = f"/situation?period=year&date={last_day}"
    result: dict[str, Any] = {}

    with running_server(settings) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
            page.set_default_timeout(20_000)
            page.goto(f"{url}/login")
            page.fill("#username", "demo-inspector")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.goto(url + screen)
            expect(page.locator("#live-status")).to_have_text("实时")
            bids_before = _value(page, "#kpi-bids .value")
            page.screenshot(path=str(ARTIFACTS / "replay-01-before-zh.png"), full_page=True)

            pusher = threading.Thread(
                target=lambda: result.update(push_all(url, token, timeline.events, clients=1)), daemon=True
            )
            pusher.start()
            # The stream refreshes the open page: no reload, no navigation.
            expect(page.locator("#kpi-bids .value")).not_to_have_text(f"{bids_before:,}", timeout=180_000)
            page.screenshot(path=str(ARTIFACTS / "replay-02-during-zh.png"), full_page=True)
            pusher.join(timeout=900)
            assert not pusher.is_alive(), "the replay did not finish"

            assert result["received"] == len(timeline.events) == result["accepted"] + result["rejected"]
            assert result["rejected"] == 0 and result["openings"] > 0 and result["warnings"] > 0
            figures = page.request.get(f"{url}/api/v1{screen}").json()
            bids_after = int(figures["totals"]["bids"])
            assert bids_after > bids_before
            expect(page.locator("#kpi-bids .value")).to_have_text(f"{bids_after:,}", timeout=60_000)
            assert page.url.endswith(screen)
            page.screenshot(path=str(ARTIFACTS / "replay-03-after-zh.png"), full_page=True)
        finally:
            browser.close()

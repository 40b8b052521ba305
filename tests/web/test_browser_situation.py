"""综合态势 in a real browser over the tiny synthetic province: the tiles and the region treemap render
in Chinese; while the page stays open a red warning is committed and a batch of tender projects is
imported (as detection and a data delivery would), and the counts change without a reload; a number
leads to its list and the list to the section."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tenderwatch.auth.flows import DEMO_PASSWORD, ensure_demo_accounts
from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import make_uscc
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.lake.views import connect
from tenderwatch.synth import generate
from tenderwatch.warning.models import Warning
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DAY = "2025-10-23"  # the tiny province (seed 1) has bids, awards and projects in 2025


@dataclass
class Live:
    url: str
    settings: Settings
    root: Path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("situation-browser")
    generate("tiny", 1, root / "synth")
    settings = Settings(data_dir=root / "var")
    database = Database(settings)
    database.upgrade()
    ingest_paths(database, [root / "synth"])
    assert detect(database).warnings.get("raised", 0) > 0
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
    database.dispose()
    with running_server(settings) as url:
        yield Live(url, settings, root)


def _value(page: object, selector: str) -> int:
    text: str = page.inner_text(selector)  # type: ignore[attr-defined]
    return int(text.replace(",", ""))


def _commit_red_warning(settings: Settings) -> None:
    """A red warning on a real section of Xihu district, as a detection run would commit it."""
    db = Database(settings)
    with db.session() as session:
        batches = ingest_service.committed_lake_batches(db_session=session, lake_dir=settings.lake_dir)
    con = connect(get_catalog(), batches)
    row = con.execute(
        "SELECT section_code, region_code, industry FROM sections ORDER BY region_code = '330106' DESC, section_code"
    ).fetchone()
    con.close()
    assert row is not None
    with db.transaction() as session:
        session.add(
            Warning(
                fingerprint=f"{row[0]}|section|browser-live",
                section_code=row[0],
                subject_type="section",
                subject_id=row[0],
                region_code=row[1],
                industry=row[2],
                grade="red",
                grade_reason_zh="浏览器测试：实时更新",
                grade_reason_en="browser test: live update",
                explanation_zh="浏览器测试",
                explanation_en="browser test",
                first_raised_at=datetime(2025, 10, 23, 2, 0),
            )
        )
    db.dispose()


def _import_projects(live: Live) -> None:
    """One more tender project registered on DAY, delivered as a file through the normal import."""
    folder = live.root / "delivery"
    folder.mkdir(exist_ok=True)
    tenderer = make_uscc("330106", random.Random(11))
    (folder / "tender_projects.csv").write_text(
        "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at\n"
        f"E-LIVE-0001,西湖区实时测试项目,building,330106,{tenderer},{DAY}\n",
        encoding="utf-8",
    )
    db = Database(live.settings)
    results = ingest_paths(db, [folder])
    db.dispose()
    assert [r.status for r in results] == ["committed"]


def test_situation_updates_live_and_drills_down(live: Live) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(30_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{live.url}/situation?period=year&date={DAY}")
            page.fill("#username", "demo-inspector")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/situation\?period=year"))
            expect(page.locator("h1")).to_have_text("综合态势")
            expect(page.locator("#nav-situation")).to_have_class(re.compile("active"))
            assert _value(page, "#kpi-bids .value") > 0
            expect(page.locator("#kpi-awards .value")).to_contain_text(re.compile("万元|亿元"))
            # situation.js records what it drew (the CSP forbids wait_for_function's eval): eleven
            # cities' counties as tiles, twelve months on the trend.
            expect(page.locator("#region-map")).to_have_attribute("data-tiles", re.compile(r"^\d{2,3}$"))
            assert int(page.get_attribute("#region-map", "data-tiles") or 0) >= 90
            expect(page.locator("#trend-chart")).to_have_attribute("data-points", "12")
            expect(page.locator("#region-map canvas").first).to_be_visible()
            expect(page.locator("#region-table")).to_contain_text("杭州市")
            expect(page.locator("#live-status")).to_have_text("实时")
            page.screenshot(path=str(ARTIFACTS / "situation-01-overview-zh.png"), full_page=True)

            red = _value(page, "#open-red .value")
            raised = _value(page, "#count-red .value")
            projects = _value(page, "#kpi-projects .value")
            _commit_red_warning(live.settings)
            expect(page.locator("#open-red .value")).to_have_text(f"{red + 1:,}")
            expect(page.locator("#count-red .value")).to_have_text(f"{raised + 1:,}")
            # Not a reload: the body was swapped in place by the script (a reload has no such mark).
            expect(page.locator("#situation-body")).to_have_attribute("data-refreshes", re.compile(r"^\d+$"))
            _import_projects(live)
            expect(page.locator("#kpi-projects .value")).to_have_text(f"{projects + 1:,}")
            page.screenshot(path=str(ARTIFACTS / "situation-02-after-live-update-zh.png"), full_page=True)

            page.click("#open-red")
            expect(page).to_have_url(re.compile(r"/situation/list\?.*kind=open_warnings"))
            expect(page.locator("#list-total")).to_contain_text(f"{red + 1:,}")
            expect(page.locator("#list-table a.grade-red").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "situation-03-open-red-list-zh.png"), full_page=True)

            page.locator("#list-table a.section-link").first.click()
            expect(page).to_have_url(re.compile(r"/sections/[^/?]+$"))
            expect(page.locator("h1")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "situation-04-section-zh.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()

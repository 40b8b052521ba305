"""A building regulator's journey in a real browser over the tiny synthetic province with a planted
manager conflict (tests/industry/conftest.py): the department's dashboard → its key personnel (ID numbers
masked) → projects under construction, the conflicting site highlighted → the conflict with both sites
→ the C20 warning about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.industry.conftest import PASSWORD, IndustryProvince, build
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="session")
def industry_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, IndustryProvince]]:
    province = build(tmp_path_factory.mktemp("industry-browser"))
    province.db.dispose()
    with running_server(province.settings) as url:
        yield url, province


def test_building_regulator_journey(industry_server: tuple[str, IndustryProvince]) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    url, province = industry_server
    plant = province.plant
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{url}/industry")
            page.fill("#username", "ind-regulator")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/industry$"))
            expect(page.locator("h1")).to_have_text("行业监管")
            expect(page.locator("#industry-scope")).to_contain_text("房建市政")
            expect(page.locator("nav.mainnav a[href='/industry']")).to_have_class(re.compile("active"))
            assert int(page.inner_text("#count-projects .value").replace(",", "")) >= 1
            expect(page.locator("#projects-table tr.project").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "industry-01-dashboard-zh.png"), full_page=True)

            page.click("#count-personnel")
            expect(page).to_have_url(re.compile(r"list=personnel"))
            first_id = page.locator("#personnel-table code.pid").first
            expect(first_id).to_have_text(re.compile(r"^\d{6}\*{8}[\dX]{4}$"))  # masked by default
            page.screenshot(path=str(ARTIFACTS / "industry-02-personnel-zh.png"), full_page=True)

            page.click("#to-construction")
            expect(page).to_have_url(re.compile(r"/industry/construction"))
            expect(page.locator("h1")).to_have_text("在建项目")
            site = page.locator(f"#sites-table tr[data-site='{plant.site}']")
            expect(site).to_have_class(re.compile("conflict"))
            expect(site).to_contain_text("项目经理冲突")
            site.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "industry-03-construction-zh.png"), full_page=True)

            site.locator("a.grade-red").click()
            expect(page).to_have_url(re.compile(r"list=conflicts"))
            table = page.locator("#conflicts-table")
            expect(table).to_contain_text(plant.site)
            for other in plant.other_sites:
                expect(table).to_contain_text(other)
            page.screenshot(path=str(ARTIFACTS / "industry-04-conflict-zh.png"), full_page=True)

            table.locator(f"a.warning-link[href='/warnings/{province.c20_warning}']").first.click()
            expect(page).to_have_url(re.compile(rf"/warnings/{province.c20_warning}$"))
            expect(page.locator("#legal-basis")).to_contain_text("注册建造师")
            expect(page.locator("#evidence-table")).to_contain_text(plant.other_sites[0])
            page.screenshot(path=str(ARTIFACTS / "industry-05-warning-zh.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()

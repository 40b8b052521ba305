"""A public complaint in a real browser (Debian's chromium through Playwright), end to end:

an anonymous visitor finds the filing form in the public navigation, is told in Chinese what is missing
without losing what was typed, files a named complaint with an attachment and gets a receipt code; the
case is routed to the county's building bureau; the regulator signs for it and sees the complainant,
while the discipline inspector and the reviewer see it without the identity; the handler answers, a
second answer from a stale page is refused; the visitor follows the complaint with the code (Chinese, then
English) and reads the answer; a wrong code gets the one "not found" message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.case.routing import seed_departments
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SUBJECT = "杭州某建设有限公司资格条件量身定做"
DESCRIPTION = "标段S-2026-001的招标文件要求的业绩只有一家公司满足，详见附件截图。"
ANSWER = "经核查，投诉事项部分成立，已责令招标人修改招标文件并重新公告。"
CJK = re.compile(r"[\u4e00-\u9fff]")


def shot(page: Page, n: int, step: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"complaints-{n:02d}-{step}.png"), full_page=True)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path / "var")
    database = Database(settings)
    database.upgrade()
    with database.transaction() as session:
        seed_departments(db_session=session)
        ensure_demo_accounts(db_session=session)
    database.dispose()
    with running_server(settings) as url:
        yield url


def test_complaint_filed_answered_and_followed(live_server: str, tmp_path: Path) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    evidence = tmp_path / "招标文件截图.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% the tender document's qualification clause\n%%EOF\n")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:

            def new_page() -> Page:
                context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(15_000)
                return page

            # ---- the anonymous visitor files a complaint from the public navigation -----------------
            public = new_page()
            public.goto(live_server)
            expect(public).to_have_url(re.compile(r"/login"))
            public.click("nav.mainnav a[href='/complaints/new']")
            expect(public.locator("h1")).to_have_text("投诉举报")
            form = public.locator("#complaint-form")
            # Nothing is preselected where a wrong default would misroute the complaint.
            expect(form.locator("select[name=region_code]")).to_have_value("")
            expect(form.locator("select[name=industry]")).to_have_value("")
            form.locator("input[name=section_code]").fill("S-2026-001")
            form.locator("select[name=region_code]").select_option("330106")
            form.locator("select[name=industry]").select_option("building")
            form.locator("input[name=subject]").fill(SUBJECT)
            form.locator("textarea[name=description]").fill(DESCRIPTION)
            form.locator("input[name=files]").set_input_files(str(evidence))
            form.locator("input[name=consent]").check()
            # A complaint (投诉) must be signed: without name and phone the server says so, in Chinese.
            form.locator("button[type=submit]").click()
            expect(public.locator("#form-error")).to_have_text("请填写姓名和联系电话")
            shot(public, 1, "missing-name-zh")
            # Nothing typed is lost; the attachment, which no browser lets a page refill, is asked for again.
            expect(form.locator("input[name=section_code]")).to_have_value("S-2026-001")
            expect(form.locator("select[name=region_code]")).to_have_value("330106")
            expect(form.locator("input[name=subject]")).to_have_value(SUBJECT)
            expect(form.locator("textarea[name=description]")).to_have_value(DESCRIPTION)
            expect(form.locator("input[name=consent]")).to_be_checked()
            expect(public.locator("#files-again")).to_contain_text("附件")
            form.locator("input[name=name]").fill("李四")
            form.locator("input[name=phone]").fill("13900000000")
            form.locator("input[name=files]").set_input_files(str(evidence))
            form.locator("button[type=submit]").click()
            expect(public.locator("h1")).to_have_text("投诉已收到")
            code = public.inner_text("#receipt-code").strip()
            assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
            case_id = public.inner_text("#case-number").strip()
            shot(public, 2, "receipt-zh")

            # ---- the regulator of Hangzhou's building bureaus signs for it and sees the identity ----
            staff = new_page()
            sign_in(staff, live_server, "regulator", "/complaints")
            rows = staff.locator("#complaints tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text(SUBJECT)
            expect(rows.first).to_contain_text("已分办")  # the state in words, not "assigned"
            shot(staff, 3, "staff-list-zh")
            rows.first.locator("a").first.click()
            expect(staff).to_have_url(re.compile(r"/complaints/\d+$"))
            complaint_url = staff.url
            # Routed like a warning: the Xihu district building bureau, case number as on the receipt.
            expect(staff.locator(".facts")).to_contain_text(f"{case_id} · 330106-building")
            expect(staff.locator("main")).to_contain_text("招标文件截图.pdf")
            expect(staff.locator("#identity")).to_have_text("（已隐藏）")
            for action in ("accept", "start"):
                staff.select_option("#action-form select[name=action]", action)
                staff.click("#action-form button[type=submit]")
                expect(staff).to_have_url(complaint_url)
            expect(staff.locator("#case-state")).to_have_text("核查中")
            expect(staff.locator("#identity")).to_contain_text("李四 · 13900000000")
            shot(staff, 4, "handler-sees-identity-zh")

            # ---- the discipline inspector and the reviewer see the complaint, not the complainant ----
            for n, role in ((5, "inspector"), (6, "reviewer")):
                other = new_page()
                sign_in(other, live_server, role, "/complaints")
                other.click(f"#complaints a[href='{complaint_url[len(live_server) :]}']")
                expect(other.locator("h1")).to_contain_text("投诉")
                expect(other.locator("main")).to_contain_text(SUBJECT)
                expect(other.locator("#identity")).to_have_text("（已隐藏）")
                assert "李四" not in other.content() and "13900000000" not in other.content()
                shot(other, n, f"{role}-identity-hidden-zh")
                other.context.close()

            # ---- the handler answers; a second answer (from a page opened before) is refused ---------
            stale = staff.context.new_page()
            stale.goto(complaint_url)
            expect(stale.locator("#answer-form")).to_be_visible()
            staff.fill("#answer-form textarea[name=text]", ANSWER)
            staff.click("#answer-form button[type=submit]")
            expect(staff.locator("#answer")).to_contain_text(ANSWER)
            expect(staff.locator("#answer-form")).to_have_count(0)
            expect(staff.locator("#addendum-form")).to_be_visible()
            expect(staff.locator("#case-state")).to_have_text("已反馈待审核")
            shot(staff, 7, "answered-zh")
            stale.fill("#answer-form textarea[name=text]", "改为：投诉不成立。")
            stale.click("#answer-form button[type=submit]")
            expect(stale.locator(".error-message")).to_have_text("答复一经作出不得修改，请追加补充说明")
            stale.screenshot(
                path=str(ARTIFACTS / "complaints-08-second-answer-refused-zh.png"), full_page=True
            )
            staff.reload()
            expect(staff.locator("#answer")).to_contain_text(ANSWER)
            assert "改为" not in staff.content()

            # ---- the visitor follows it with the code; a wrong code says only "not found" ------------
            public.click("nav.mainnav a[href='/complaints/track']")
            expect(public.locator("h1")).to_have_text("查询办理进度")
            public.fill("#track-form input[name=receipt_code]", "ABCD-EFGH-JKMN")
            public.click("#track-form button[type=submit]")
            expect(public.locator("#track-error")).to_have_text("未找到该回执码对应的投诉")
            expect(public.locator("#tracked")).to_have_count(0)
            shot(public, 9, "wrong-code-zh")
            # A mistyped real code (last character changed) gets exactly the same words.
            typo = code[:-1] + ("0" if code[-1] != "0" else "1")
            public.fill("#track-form input[name=receipt_code]", typo)
            public.click("#track-form button[type=submit]")
            expect(public.locator("#track-error")).to_have_text("未找到该回执码对应的投诉")
            public.fill("#track-form input[name=receipt_code]", code.lower())
            public.click("#track-form button[type=submit]")
            tracked = public.locator("#tracked")
            expect(tracked).to_contain_text(SUBJECT)
            expect(public.locator("#track-state")).to_have_text("已反馈待审核")
            expect(tracked.locator("#answer")).to_contain_text(ANSWER)
            expect(tracked.locator("ol li")).to_have_count(4)  # generated, assigned, signed for, verifying
            assert "demo-regulator" not in tracked.inner_text()  # no handler names for the public
            shot(public, 10, "tracked-answer-zh")

            # ---- the same page in English ----------------------------------------------------------
            public.click("#lang-switch")
            expect(public).to_have_url(re.compile(r"/complaints/track$"))
            expect(public.locator("h1")).to_have_text("Follow a complaint")
            public.fill("#track-form input[name=receipt_code]", code)
            public.click("#track-form button[type=submit]")
            expect(public.locator("#track-state")).to_have_text("Feedback submitted")
            expect(public.locator("#lang-switch")).to_have_text("中文")
            # Everything but the complainant's own words and the answer is English.
            # (The header's 监 emblem is decoration, hidden from screen readers, so only main and nav count.)
            chrome = public.locator("main").inner_text() + public.locator("nav.mainnav").inner_text()
            for own in (SUBJECT, ANSWER):
                chrome = chrome.replace(own, "")
            assert not CJK.search(chrome), CJK.findall(chrome)
            shot(public, 11, "tracked-answer-en")
        finally:
            browser.close()

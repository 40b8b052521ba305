"""The broker register (黄牛库) in a real browser, over the tiny synthetic province with model C18 run and
its candidates collected (as tests/broker does): a regulator finds the planted broker among the C18
candidates, judges him the same person, a discipline inspector reverses that, both judgements stay in the
history with who and when; a manual entry refused for a bad ID number keeps what was typed, then goes in;
a new bid's phone screened against the register hits the planted broker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from tenderwatch.auth.flows import demo_username, ensure_demo_accounts
from tenderwatch.broker import flows
from tenderwatch.broker.models import BrokerEntry
from tenderwatch.engine.flows import detect
from tests.detection.conftest import build_province
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MANUAL_ID, BAD_ID = "330106198503171212", "330106198503171213"  # the second fails its check digit


@dataclass(frozen=True)
class Register:
    url: str
    entry_id: int  # the planted broker's candidate entry
    id_number: str
    phone: str
    candidates: int


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    province = build_province(tmp_path_factory.mktemp("broker-browser"))
    detect(province.db, ["C18"])
    [scheme] = [s for s in province.truth["schemes"] if s["model"] == "C18"]
    [person] = scheme["persons"]
    con = province.con()
    try:
        with province.db.transaction() as session:
            flows.collect_candidates(session, con=con)
            ensure_demo_accounts(db_session=session)
    finally:
        con.close()
    with province.db.session() as session:
        candidates = session.scalars(select(BrokerEntry).where(BrokerEntry.source == "c18")).all()
        [entry] = [e for e in candidates if e.source_key == f"C18|{person}"]
        phone = next(i.value for i in entry.identifiers if i.kind == "phone")
        found = Register("", entry.id, person, phone, len(candidates))
    province.db.dispose()
    with running_server(province.settings) as url:
        yield Register(url, found.entry_id, found.id_number, found.phone, found.candidates)


def shot(page: Page, n: int, step: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"brokers-{n:02d}-{step}.png"), full_page=True)


def test_broker_register_journey(register: Register) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    today = date.today().isoformat()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:

            def new_page() -> Page:
                context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(15_000)
                return page

            # ---- the regulator finds the C18 candidates and the planted broker among them ----------
            page = new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            sign_in(page, register.url, "regulator", "/")
            page.click("nav.mainnav a[href='/brokers']")
            expect(page.locator("h1")).to_have_text("黄牛库")
            table = page.locator("#broker-table")
            expect(table).to_contain_text(f"{register.candidates}")
            expect(table).to_contain_text("候选，待研判")
            # The filters swap only the table (htmx) and keep the URL in step.
            page.select_option("#f-source", "c18")
            expect(page).to_have_url(re.compile(r"source=c18"))
            expect(table.locator("tbody tr")).to_have_count(register.candidates)
            expect(table).not_to_contain_text("人工登记")
            shot(page, 1, "c18-candidates-zh")
            page.fill("#f-q", register.id_number)
            page.click("#broker-filters button[type=submit]")
            expect(table.locator("tbody tr")).to_have_count(1)
            table.locator(f"a[href='/brokers/{register.entry_id}']").first.click()
            expect(page).to_have_url(re.compile(rf"/brokers/{register.entry_id}$"))
            expect(page.locator("#broker-status")).to_have_text("候选，待研判")
            expect(page.locator("#identifiers")).to_contain_text(register.id_number)
            expect(page.locator("#identifiers")).to_contain_text(register.phone)
            expect(page.locator("main")).to_contain_text("模型 C18")
            expect(page.locator("#broker-reason")).to_contain_text("家企业办理投标")
            expect(page.locator("#broker-reason")).not_to_contain_text("handles bids")
            expect(page.locator("#judgements")).to_contain_text("尚无研判。")

            # ---- a judgement: same person, with who and when ---------------------------------------
            page.fill("#j-note", "同一手机号为三家公司投标，确认为黄牛")
            page.click("#judge button[value=same]")
            expect(page.locator("#broker-status")).to_have_text("已确认黄牛")
            first = page.locator("#judgements tbody tr").first
            expect(first).to_contain_text(demo_username("regulator"))
            expect(first).to_contain_text("同一人")
            expect(first).to_contain_text(today)
            expect(first).to_contain_text("同一手机号为三家公司投标")
            shot(page, 2, "judged-same-zh")
            page.context.close()

            # ---- the discipline inspector reverses it; the history keeps both ----------------------
            page = new_page()
            sign_in(page, register.url, "inspector", f"/brokers/{register.entry_id}")
            page.fill("#j-note", "该人系三家公司共同的财务外包人员，非黄牛")
            page.click("#judge button[value=not_same]")
            expect(page.locator("#broker-status")).to_have_text("非黄牛")
            rows = page.locator("#judgements tbody tr")
            expect(rows).to_have_count(2)
            expect(rows.nth(0)).to_contain_text(demo_username("regulator"))
            expect(rows.nth(1)).to_contain_text(demo_username("inspector"))
            expect(rows.nth(1)).to_contain_text("非同一人")
            expect(rows.nth(1)).to_contain_text(today)
            expect(page.locator("#events")).to_contain_text("已研判")
            shot(page, 3, "judgement-reversed-zh")

            # ---- a manual entry: a bad ID number is refused without losing the form ----------------
            page.click("a[href='/brokers']")
            page.fill("#a-name", "赵建国")
            page.fill("#a-id", BAD_ID)
            page.fill("#a-phone", "139-0571-2468")
            page.fill("#a-reason", "群众举报：代多家公司办理投标")
            page.click("#broker-add button[type=submit]")
            expect(page.locator("#add-error")).to_contain_text("身份证号无效")
            expect(page.locator("#a-name")).to_have_value("赵建国")
            expect(page.locator("#a-phone")).to_have_value("139-0571-2468")
            expect(page.locator("#a-reason")).to_have_value("群众举报：代多家公司办理投标")
            shot(page, 4, "manual-entry-refused-zh")
            page.fill("#a-id", MANUAL_ID)
            page.click("#broker-add button[type=submit]")
            expect(page).to_have_url(re.compile(r"/brokers/\d+$"))
            expect(page.locator("h1")).to_contain_text("赵建国")
            expect(page.locator("main")).to_contain_text("人工登记")
            expect(page.locator("#identifiers")).to_contain_text("13905712468")  # canonical form
            expect(page.locator("#identifiers")).to_contain_text(MANUAL_ID)
            manual_entry = int(page.url.rsplit("/", 1)[1])
            shot(page, 5, "manual-entry-zh")

            # ---- screening a new bid's persons and phones against the register --------------------
            # The pages offer no screening form (the trading platform calls the API): the signed-in
            # browser calls it, as that platform would.
            screened = page.request.post(
                f"{register.url}/api/v1/brokers/screen",
                data={"persons": [MANUAL_ID], "phones": [f"+86 {register.phone}", "+86 139-0571-2468"]},
            )
            assert screened.ok, screened.text()
            hits = {(m["entry_id"], m["rule"]) for m in screened.json()}
            # The manual entry hits on its ID number and phone; the candidate judged "not a broker" is out of it.
            assert {(manual_entry, "exact_id"), (manual_entry, "exact_phone")} <= hits, hits
            assert register.entry_id not in {entry for entry, _ in hits}, hits

            # ---- the same page in English -----------------------------------------------------------
            page.click("#lang-switch")
            expect(page.locator("#broker-status")).to_have_text("Candidate, awaiting judgement")
            expect(page.locator("#events")).to_contain_text("Created")
            shot(page, 6, "manual-entry-en")
            assert not errors, errors
        finally:
            browser.close()

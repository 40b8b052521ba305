"""Oversight of the overseers (监督的再监督) in a real browser, over cases built through the real case flows
(tests/oversight's helpers): four handlers of Hangzhou's counties close five cases each with one 查否,
the Xihu handler clears five cases of one company, all 查否, on the due date; a sixth Xihu case is handled
by a user who holds shares in the company it names (the committed lake says so, auth_identity has his ID
number). A discipline inspector sees the fences flag the Xihu handler, his company and his county, and the
deadline edge; follows a case link; finds the conflict of interest; draws the re-verification sample. A
regulator is refused in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tenderwatch.auth import admin
from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.case.calendar import local_date
from tenderwatch.case.routing import seed_departments
from tenderwatch.config import Settings
from tenderwatch.db import Database, utcnow
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.oversight import sampling
from tests.case.conftest import USERS, to_verifying
from tests.detection.fixture_records import csv, pid, uscc
from tests.oversight.conftest import BAD, BAD_COUNTY, FAVOURED, HANDLERS, build_selective, open_one
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OWNED = uscc(40)  # the company the Xihu handler holds 30 % of
HANDLER_ID = pid(7)


@dataclass(frozen=True)
class Seeded:
    url: str
    ids: dict[str, list[int]]  # closed cases per handler
    conflicted: int  # the open case whose handler must recuse
    sample: list[int]  # what the province-wide inspector's draw must give


def _commit_lake(settings: Settings, root: Path) -> None:
    """The companies and shareholders the correlation graph is built from, imported the normal way."""
    companies = [
        {"uscc": c, "name": f"公司{c[-4:]}", "legal_rep_name": "李四", "founded_on": "2010-01-01"}
        for c in (OWNED, FAVOURED)
    ]
    holding = {
        "company_uscc": OWNED,
        "holder_id": HANDLER_ID,
        "holder_type": "person",
        "holder_name": "王五",
        "share_pct": "30",
    }
    folder = root / "delivery"
    folder.mkdir(parents=True)
    (folder / "companies.csv").write_text(csv("companies", companies), encoding="utf-8")
    (folder / "shareholders.csv").write_text(csv("shareholders", [holding]), encoding="utf-8")
    database = Database(settings)
    results = ingest_paths(database, [folder])
    database.dispose()
    assert all(r.status == "committed" and not r.rejected for r in results), results


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    root = tmp_path_factory.mktemp("oversight-browser")
    settings = Settings(data_dir=root / "var")
    database = Database(settings)
    database.upgrade()
    with database.transaction() as session:
        seed_departments(db_session=session)
        ensure_demo_accounts(db_session=session)
        for name, grants in USERS.items():  # the case tests' users: "rev" reviews every closure
            auth_service.create_user(
                db_session=session, username=name, display_name=name, password="x", grants=grants
            )
    ids = build_selective(database)
    _commit_lake(settings, root)
    with database.transaction() as session:
        admin.add_identity(db_session=session, actor="cli:root", username=BAD, id_number=HANDLER_ID)
    conflicted = open_one(database, BAD_COUNTY, OWNED, local_date(utcnow()))
    to_verifying(database, conflicted, BAD)
    database.dispose()
    # The demo inspector is province-wide ("33", every industry): the draw over every 查否 closure.
    unfounded = sorted(ids[BAD] + [cases[0] for name, cases in ids.items() if name != BAD])
    period = local_date(utcnow()).isoformat()[:7]
    sample = sampling.draw(unfounded, period, "33:")
    with running_server(settings) as url:
        yield Seeded(url, ids, conflicted, sample)


def shot(page: Page, n: int, step: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"oversight-{n:02d}-{step}.png"), full_page=True)


def test_inspector_oversight_journey(seeded: Seeded) -> None:
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # ---- the fences: the Xihu handler, his company and his county stand out ---------------
            sign_in(page, seeded.url, "inspector", "/")
            page.click("nav.mainnav a[href='/oversight']")
            expect(page.locator("h1")).to_have_text("监督的再监督")
            expect(page.locator("#concluded-count")).to_have_text("25")
            handlers = page.locator("#rates-handlers tbody tr")
            expect(handlers).to_have_count(len(HANDLERS) + 1)
            flagged = page.locator("#rates-handlers tbody tr.flagged")
            expect(flagged).to_have_count(1)
            expect(flagged).to_contain_text(BAD)
            expect(flagged).to_contain_text("100%")
            expect(flagged).to_contain_text("高于围栏")
            for case_id in seeded.ids[BAD]:
                expect(flagged.locator(f"a[href='/cases/{case_id}']")).to_have_count(1)
            for name in HANDLERS:
                row = page.locator("#rates-handlers tbody tr", has_text=name)
                expect(row).not_to_have_class(re.compile("flagged"))
                expect(row).to_contain_text("20%")
            pair = page.locator("#rates-pairs tbody tr.flagged")
            expect(pair).to_have_count(1)
            expect(pair).to_contain_text(FAVOURED)
            county = page.locator("#rates-regions tbody tr.flagged")
            expect(county).to_have_count(1)
            expect(county).to_contain_text(BAD_COUNTY)
            shot(page, 1, "fences-zh")

            # ---- the deadline edge: only the Xihu handler concludes on the due date ----------------
            edge = page.locator("#rates-edge tbody tr.flagged")
            expect(edge).to_have_count(1)
            expect(edge).to_contain_text(BAD)
            expect(page.locator("#rates-edge tbody tr", has_text="h_gongshu")).to_contain_text("0%")
            page.locator("#rates-edge").scroll_into_view_if_needed()
            shot(page, 2, "deadline-edge-zh")

            # ---- drill down: a flagged row's case opens --------------------------------------------
            first = seeded.ids[BAD][0]
            flagged.locator(f"a[href='/cases/{first}']").click()
            expect(page).to_have_url(re.compile(rf"/cases/{first}$"))
            expect(page.locator("main")).to_contain_text(BAD)
            expect(page.locator("main")).to_contain_text("已办结")
            shot(page, 3, "drill-down-case-zh")
            page.go_back()

            # ---- conflicts of interest: the Xihu handler holds shares in the company of a case -----
            page.click("#conflict-scan button[type=submit]")
            expect(page.locator("h1")).to_have_text("利益冲突")
            conflicts = page.locator("#conflicts-table tbody tr")
            expect(conflicts).to_have_count(1)
            expect(conflicts.first).to_contain_text(BAD)
            expect(conflicts.first).to_contain_text(OWNED)
            expect(conflicts.first).to_contain_text("承办人")  # the role in words
            expect(conflicts.first).to_contain_text("股东")  # the relation in words
            assert HANDLER_ID not in page.content()  # the ID number is never shown
            shot(page, 4, "conflicts-zh")
            conflicts.first.locator(f"a[href='/cases/{seeded.conflicted}']").click()
            expect(page).to_have_url(re.compile(rf"/cases/{seeded.conflicted}$"))
            expect(page.locator("#events")).to_contain_text(
                "须回避（利益冲突）"
            )  # the history names it in words
            page.goto(f"{seeded.url}/oversight")

            # ---- the re-verification sample: drawn once, reproducible -----------------------------
            expect(page.locator("#sample-table tbody")).to_contain_text("本期尚未抽取")
            page.click("#sample-draw button[type=submit]")
            expect(page).to_have_url(re.compile(r"/oversight\?period=\d{4}-\d{2}$"))
            sample = page.locator("#sample-table tbody tr")
            expect(sample).to_have_count(len(seeded.sample))
            for case_id in seeded.sample:
                expect(sample.locator(f"a[href='/cases/{case_id}']")).to_have_count(1)
            expect(sample.first).to_contain_text("已办结")  # the state in words
            page.click("#sample-draw button[type=submit]")  # again: the same cases, no duplicates
            expect(sample).to_have_count(len(seeded.sample))
            shot(page, 5, "sample-zh")
            assert not errors, errors
            context.close()

            # ---- a regulator is refused, in Chinese ------------------------------------------------
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            sign_in(page, seeded.url, "regulator", "/")
            expect(page.locator("nav.mainnav a[href='/oversight']")).to_have_count(0)
            response = page.goto(f"{seeded.url}/oversight")
            assert response is not None and response.status == 403
            expect(page.locator("h1")).to_have_text("无权访问")
            expect(page.locator(".error-message")).to_contain_text("您的角色")
            shot(page, 6, "regulator-refused-zh")
        finally:
            browser.close()

"""The whole loop per grade in a real browser (Debian's chromium through Playwright): a warning becomes a
case, the discipline inspector watches it, the county regulator verifies it against the guide and
concludes 查实 with the decision, another person reviews it, the credit record is serious because of an
earlier collusion finding, the regulator confirms the proposed ban, and the trading platform's gate,
which allowed the company before, now blocks it. At the end the audit chain is intact.

One fresh SQLite database and live server per grade. Screenshots: test-artifacts/journey-<grade>-NN-*.png.
Never ``playwright install``: the system chromium is used (see test_browser.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.verify import verify_database
from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import DEMO_PASSWORD, ensure_demo_accounts
from tenderwatch.auth.tokens import create_token
from tenderwatch.case import deadlines
from tenderwatch.case.flows import open_case
from tenderwatch.case.routing import seed_departments
from tenderwatch.common.identifiers import make_uscc
from tenderwatch.config import Settings
from tenderwatch.credit import flows as credit_flows
from tenderwatch.credit.models import BlacklistEntry
from tenderwatch.db import Database
from tenderwatch.guides.loader import get_guide
from tenderwatch.warning.models import Warning
from tests.credit.conftest import deliver
from tests.web.live import running_server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _require_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

REGULATOR = "xihu-regulator"  # 西湖区住建局: the county bureau the warning is routed to
REVIEWER = "demo-reviewer"  # another person, province-wide
INSPECTOR = "demo-inspector"
PASSWORD = "journey-password-7"
REGION, INDUSTRY = "330106", "building"
# How each grade's earlier collusion finding reaches us: our own record of an earlier decision (in the
# same bureau, or in another city and industry: the look-back follows the subject), or the credit
# centre's record delivered to the lake.
EARLIER = {"red": "internal", "orange": "lake", "yellow": "internal-elsewhere"}
GRADES = list(EARLIER)
GRADE_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}


@dataclass(frozen=True)
class Journey:
    grade: str
    url: str
    database: Database
    warning_id: int
    case_id: int
    company: str
    earlier_decision: str
    token: str
    today: date


def _warning(grade: str, company: str, partner: str) -> Warning:
    evidence = [
        {
            "model": "C01",
            "entity": e,
            "rule": "machine_code",
            "severity": grade,
            "dataset": "bid_fingerprints",
            "key": f"S-J-{grade}|{e}",
            "field": "machine_code",
            "value": "MC-7F3A",
        }
        for e in (company, partner)
    ]
    return Warning(
        fingerprint=f"S-J-{grade}|section|S-J-{grade}",
        section_code=f"S-J-{grade}",
        subject_type="section",
        subject_id=f"S-J-{grade}",
        region_code=REGION,
        industry=INDUSTRY,
        grade=grade,
        grade_reason_zh="两家投标文件机器码一致",
        grade_reason_en="Two bids made on one machine",
        entities=[company, partner],
        models=[
            {
                "id": "C01",
                "version": 1,
                "severity": grade,
                "rules": ["machine_code"],
                "explanation_zh": "文件制作机器码一致：涉及两家企业",
                "explanation_en": "Same file-making machine: two bidders",
            }
        ],
        legal_basis=[
            {"zh": "《招标投标法实施条例》第四十条第（一）项", "en": "Regulations Art. 40(1)", "model": "C01"}
        ],
        evidence=evidence,
        explanation_zh="文件制作机器码一致：涉及两家企业",
        explanation_en="Same file-making machine: two bidders",
        benign=[{"zh": "公共电脑制作", "en": "Made on a public terminal", "model": "C01"}],
    )


def _earlier_finding(database: Database, grade: str, company: str, on: date, tmp: Path) -> str:
    decision = f"甬建罚〔{on.year}〕{GRADES.index(grade) + 21}号"
    if EARLIER[grade] == "lake":
        row = {
            "record_id": f"XY-{grade}",
            "subject_type": "company",
            "subject_id": company,
            "subject_name": "杭州某建设有限公司",
            "kind": "bad",
            "reason": "串通投标",
            "decision_no": decision,
            "issuer": "宁波市住房和城乡建设局",
            "decided_on": on.isoformat(),
        }
        deliver(database, tmp, {"credit_records": [row]})
        return decision
    region, industry = (REGION, INDUSTRY) if EARLIER[grade] == "internal" else ("330206", "transport")
    with database.transaction() as session:
        credit_flows.record_violation(
            db_session=session,
            actor="earlier-regulator",
            violation=credit_flows.Violation(
                subject_type="company",
                subject_id=company,
                industry=industry,
                region_code=region,
                kind="collusion",
                reason="串通投标",
                decision_no=decision,
                decision_sha256="ab" * 32,
                decided_on=on,
            ),
        )
    return decision


@pytest.fixture(params=GRADES)
def journey(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journey]:
    _require_chromium()
    grade: str = request.param
    today = date.today()
    settings = Settings(data_dir=tmp_path / "var")
    database = Database(settings)
    database.upgrade()
    company = make_uscc(REGION, random.Random(11))
    partner = make_uscc(REGION, random.Random(12))
    earlier = _earlier_finding(database, grade, company, today - timedelta(days=700), tmp_path)
    with database.transaction() as session:
        ensure_demo_accounts(db_session=session)
        seed_departments(db_session=session)
        auth_service.create_user(
            db_session=session,
            username=REGULATOR,
            display_name="西湖区住建局·核查员",
            password=PASSWORD,
            grants=[("regulator", REGION, [INDUSTRY])],
        )
        warning = _warning(grade, company, partner)
        session.add(warning)
        session.flush()
        case = open_case(db_session=session, settings=settings, warning=warning, today=today)
        _row, token = create_token(
            db_session=session, username="demo-platform", name="杭州交易平台", actor="admin"
        )
        ids = (warning.id, case.id)
    with running_server(settings) as url:
        yield Journey(grade, url, database, ids[0], ids[1], company, earlier, token, today)
    database.dispose()


# ---- helpers ------------------------------------------------------------------------------------------


def _shot(page: Page, j: Journey, n: int, step: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{j.grade}-{n:02d}-{step}.png"), full_page=True)


def _sign_in(browser: Browser, j: Journey, username: str, password: str) -> Page:
    from playwright.sync_api import expect

    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{j.url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("#username")).to_have_count(0)  # left the login page
    return page


def _gate(j: Journey) -> dict[str, Any]:
    body = {
        "subject_type": "company",
        "subject_id": j.company,
        "action": "submit_bid",
        "region": REGION,
        "industry": INDUSTRY,
        "date": j.today.isoformat(),
    }
    response = httpx.post(
        f"{j.url}/api/v1/credit/gate", json=body, headers={"Authorization": f"Bearer {j.token}"}, timeout=15
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _action(page: Page, action: str) -> None:
    page.select_option("#action-form select[name=action]", action)
    page.click("#action-form button[type=submit]")


def _upload(page: Page, path: Path) -> None:
    from playwright.sync_api import expect

    page.set_input_files("form[action$='/upload'] input[type=file]", str(path))
    page.click("form[action$='/upload'] button[type=submit]")
    expect(page.locator("#attachments")).to_contain_text(path.name)


# ---- the journey ------------------------------------------------------------------------------------


def test_warning_to_blacklist_journey(journey: Journey, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    j = journey
    case_url = f"{j.url}/cases/{j.case_id}"
    evidence = tmp_path / "交易平台机器码日志.pdf"
    evidence.write_bytes(b"%PDF-1.4 machine code log MC-7F3A for both bids\n")
    document = tmp_path / "行政处罚决定书.pdf"
    document.write_bytes(b"%PDF-1.4 decision: collusion, fine and record\n")
    decision_no = f"西建罚〔{j.today.year}〕{j.case_id}号"
    due, _provisional = deadlines.feedback_due(j.database.settings, j.grade, j.today)
    accept_due = deadlines.accept_due(j.database.settings, j.grade, j.today)
    items = get_guide("C01").items_for(["machine_code"])

    assert _gate(j)["decision"] == "allowed"  # nothing against the company yet but the earlier finding
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            # 2. The discipline inspector watches: the warning, the case, read-only.
            inspector = _sign_in(browser, j, INSPECTOR, DEMO_PASSWORD)
            inspector.goto(f"{j.url}/warnings")
            expect(inspector.locator(f"a[href='/warnings/{j.warning_id}']").first).to_be_visible()
            inspector.goto(f"{j.url}/cases")
            expect(inspector.locator("#cases-table")).to_contain_text("已分办")
            inspector.click(f"#cases-table a[href='/cases/{j.case_id}']")
            expect(inspector.locator("#case-state")).to_have_text("已分办")
            expect(inspector.locator("#conclude-form")).to_have_count(0)
            expect(inspector.locator("form[action$='/answer']")).to_have_count(0)
            expect(inspector.locator("#review-form")).to_have_count(0)
            _shot(inspector, j, 1, "inspector-read-only")

            # 3. The county regulator: from the warning to its case, the guide, the deadline.
            regulator = _sign_in(browser, j, REGULATOR, PASSWORD)
            regulator.goto(f"{j.url}/warnings/{j.warning_id}")
            expect(regulator.locator("#explanation")).to_contain_text("机器码一致")
            regulator.click("#warning-case")
            expect(regulator).to_have_url(re.compile(rf"/cases/{j.case_id}$"))
            guide = regulator.locator("#guide-C01")
            expect(guide.locator(".legal-basis")).to_contain_text("第四十条")
            expect(guide.locator(".why-fired")).not_to_be_empty()
            checklist = regulator.locator("#checklist")
            for item in items:
                expect(checklist).to_contain_text(item.check.zh)
                expect(checklist).to_contain_text(item.method.zh)
            expect(regulator.locator("#case-grade")).to_have_text(GRADE_ZH[j.grade])
            facts = regulator.locator("section.card dl.facts")
            expect(facts).to_contain_text(str(due))
            if j.grade == "red":
                assert accept_due is not None
                expect(facts).to_contain_text(f"签收期限 {accept_due}")
            else:
                expect(facts).not_to_contain_text("签收期限")
            _shot(regulator, j, 2, "guide")

            _action(regulator, "accept")
            expect(regulator.locator("#case-state")).to_have_text("已签收")
            _action(regulator, "start")
            expect(regulator.locator("#case-state")).to_have_text("核查中")
            _upload(regulator, evidence)
            _upload(regulator, document)
            for n, item in enumerate(items):
                row = regulator.locator("#checklist tbody tr").nth(n)
                row.locator("select[name=answer]").select_option("pass")
                row.locator("input[name=notes]").fill(f"已核查：{item.id}")
                row.get_by_role("checkbox", name=evidence.name).check()
                row.locator("button[type=submit]").click()
                expect(regulator.locator("#checklist tbody tr").nth(n).locator("strong")).to_have_text("符合")
            _shot(regulator, j, 3, "checklist-answered")

            form = regulator.locator("#conclude-form")
            form.locator("select[name=outcome]").select_option("confirmed")
            form.locator("textarea[name=notes]").fill(
                "两家投标文件在同一台非公共电脑上制作，编制人员同一，认定串通投标"
            )
            form.get_by_role("checkbox", name=evidence.name).check()
            form.locator("input[name=decision_no]").fill(decision_no)
            form.locator("select[name=decision_attachment_id]").select_option(label=document.name)
            form.locator("input[name=decided_on]").fill(j.today.isoformat())
            form.locator("input[name=issuer]").fill("杭州市西湖区住房和城乡建设局")
            form.locator("input[name=subject_ids]").fill(j.company)
            form.locator("button[type=submit]").click()
            expect(regulator.locator("#case-state")).to_have_text("已反馈待审核")
            expect(regulator.locator("#conclusion")).to_contain_text(decision_no)
            _shot(regulator, j, 4, "submitted")

            # 4. Another person reviews and approves.
            reviewer = _sign_in(browser, j, REVIEWER, DEMO_PASSWORD)
            reviewer.goto(case_url)
            reviewer.locator("#review-form input[name=reason]").fill("证据充分，同意")
            reviewer.click("#review-form button[type=submit]")
            expect(reviewer.locator("#case-state")).to_have_text("已办结")
            _shot(reviewer, j, 5, "approved")
            reviewer.click("#lang-switch")  # once in English
            expect(reviewer.locator("#case-state")).to_have_text("Closed")
            expect(reviewer.locator("h2", has_text="Verification guide")).to_have_count(1)

            # 5. The company's credit: a serious record, the earlier finding, a proposed ban.
            before = _gate(j)
            assert (before["decision"], before["reasons"]) == ("allowed", [])  # a proposal restricts nothing
            regulator.goto(case_url)
            regulator.click(f"a.subject-credit[href='/credit/subjects/{j.company}']")
            records = regulator.locator("#records")
            new_record = records.locator("tr", has_text=decision_no)
            expect(new_record).to_contain_text("串通投标")
            expect(new_record).to_contain_text("是")
            expect(new_record).to_contain_text(f"此前认定: {j.earlier_decision}")
            expect(regulator.locator("#blacklist")).to_contain_text("待确认")
            with j.database.session() as session:
                (entry,) = session.scalars(select(BlacklistEntry)).all()
                entry_id = entry.id
            decide = regulator.locator(f"#confirm-{entry_id}")
            expect(regulator.locator(f"#decide-{entry_id}")).to_contain_text("法定期限：12–24个月")
            _shot(regulator, j, 6, "credit-proposed")
            ban_no = f"西建禁〔{j.today.year}〕{j.case_id}号"
            decide.locator("input[name=decision_no]").fill(ban_no)
            decide.locator("input[name=months]").fill("18")
            decide.locator("button[type=submit]").click()
            expect(regulator).to_have_url(re.compile(rf"/credit/subjects/{j.company}$"))
            expect(regulator.locator("#blacklist")).to_contain_text("生效")
            expect(regulator.locator("#blacklist")).to_contain_text(ban_no)
            _shot(regulator, j, 7, "credit-confirmed")
        finally:
            browser.close()

    # 6. The trading platform's gate now blocks the bid, naming the decision.
    after = _gate(j)
    assert after["decision"] == "blocked"
    (reason,) = after["reasons"]
    assert reason["code"] == "blacklisted" and ban_no in reason["zh"] and ban_no in reason["en"]
    assert reason["source"] == f"internal:credit_blacklist/{entry_id}"

    # 7. The audit chain is intact and every person's steps are in it.
    with j.database.session() as session:
        report = verify_database(session)
        actors = {e.actor for e in session.scalars(select(AuditEvent))}
        confirmed_by = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.subject_type == "credit_blacklist")
        ).all()
    assert report.ok, [p.line() for p in report.problems]
    assert {INSPECTOR, REGULATOR, REVIEWER} <= actors
    assert REGULATOR in confirmed_by and REVIEWER in confirmed_by  # confirmed by one, proposed by the other

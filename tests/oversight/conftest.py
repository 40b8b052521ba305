"""Oversight fixtures: closed cases built through the real case flows (open → accept → start → answer →
submit → approve), with handlers in several counties of Hangzhou."""

from __future__ import annotations

from datetime import date, timedelta

from tenderwatch.auth import service as auth_service
from tenderwatch.case import flows, verify
from tenderwatch.case.calendar import is_working_day, local_date
from tenderwatch.case.deadlines import feedback_due
from tenderwatch.case.models import Case
from tenderwatch.case.schemas import ConclusionIn
from tenderwatch.credit.lake import LakeCredit
from tenderwatch.db import Database, utcnow
from tests.case.conftest import _cheap_password_hashing, answer_all, make_warning, seeded, to_verifying, user
from tests.detection.fixture_records import uscc

__all__ = ["_cheap_password_hashing", "seeded"]

# One handler per county; "h_xihu" is the one who clears everything, at the last moment.
HANDLERS = {"h_shangcheng": "330102", "h_gongshu": "330105", "h_binjiang": "330108", "h_xiaoshan": "330109"}
BAD, BAD_COUNTY = "h_xihu", "330106"
PEER_COMPANY = {name: uscc(20 + i) for i, name in enumerate(HANDLERS)}
FAVOURED = uscc(30)


def add_users(db: Database) -> None:
    with db.transaction() as session:
        for name, county in [*HANDLERS.items(), (BAD, BAD_COUNTY)]:
            auth_service.create_user(
                db_session=session,
                username=name,
                display_name=name,
                password="x",
                grants=[("regulator", county, ["building"])],
            )
        auth_service.create_user(
            db_session=session,
            username="insp_xihu",
            display_name="insp_xihu",
            password="x",
            grants=[("inspector", BAD_COUNTY, [])],
        )


def start_for_due(db: Database, due: date) -> date:
    """An assignment day whose red feedback deadline is ``due`` (a working day)."""
    for back in range(60):
        start = due - timedelta(days=back)
        if feedback_due(db.settings, "red", start)[0] == due:
            return start
    raise AssertionError(f"no start day gives the due date {due}")


def open_one(db: Database, region: str, company: str, today: date) -> int:
    with db.transaction() as session:
        warning = make_warning(session, region=region, entities=(company,))
        return flows.open_case(db_session=session, settings=db.settings, warning=warning, today=today).id


def close(db: Database, case_id: int, handler: str, outcome: str) -> None:
    to_verifying(db, case_id, handler)
    doc = answer_all(db, case_id, handler)
    if outcome == "unfounded":
        conclusion = ConclusionIn(outcome="unfounded", benign_id="public_terminal", evidence_ids=[doc])
    else:
        conclusion = ConclusionIn(outcome="unverifiable", reason="当事人已注销", evidence_ids=[doc])
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        verify.submit(
            db_session=session,
            user=user(session, handler),
            case=case,
            version=case.version,
            conclusion=conclusion,
        )
    with db.transaction() as session:
        case = session.get_one(Case, case_id)
        verify.review(
            db_session=session,
            user=user(session, "rev"),
            case=case,
            version=case.version,
            approve=True,
            reason="",
            lake=LakeCredit(),
        )


def build_selective(db: Database) -> dict[str, list[int]]:
    """Four peer handlers close 5 cases each, one 查否 among them, well before the deadline; the Xihu
    handler closes 5 cases of one company, all 查否, on the due date. Returns case ids per handler."""
    add_users(db)
    today = local_date(utcnow())
    ids: dict[str, list[int]] = {}
    for name, county in HANDLERS.items():
        ids[name] = []
        for n in range(5):
            case_id = open_one(db, county, PEER_COMPANY[name], today)
            close(db, case_id, name, "unfounded" if n == 0 else "unverifiable")
            ids[name].append(case_id)
    due = today  # concluded today, due today (or on the next working day when today is a day off)
    while not is_working_day(due):
        due += timedelta(days=1)
    start = start_for_due(db, due)
    ids[BAD] = []
    for _ in range(5):
        case_id = open_one(db, BAD_COUNTY, FAVOURED, start)
        close(db, case_id, BAD, "unfounded")
        ids[BAD].append(case_id)
    return ids

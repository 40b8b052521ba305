"""The deadline tick: overdue cases escalate one level up (督办) and notify in-app, by e-mail to a local
SMTP sink and by DingTalk webhook to a local HTTP server."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from tenderwatch.case import deadlines, notify, service
from tenderwatch.case.models import Case, Department, Notification
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tests.case.conftest import OpenCase, to_verifying, user
from tests.case.sinks import smtp_sink, webhook_sink


def _deliver(settings: Settings) -> notify.Delivered:
    database = Database(settings)
    try:
        return notify.deliver_pending(database)
    finally:
        database.dispose()


def test_red_case_not_signed_for_is_overdue_after_one_working_day(
    seeded: Database, open_case: OpenCase
) -> None:
    case_id = open_case(grade="red")  # assigned 2026-09-30; sign for it by 2026-10-08
    with seeded.transaction() as session:
        assert deadlines.tick(db_session=session, today=date(2026, 10, 8)).overdue == []
        result = deadlines.tick(db_session=session, today=date(2026, 10, 9))
    assert result.overdue == [case_id] and result.supervised == [case_id]
    with seeded.session() as session:
        case = session.get_one(Case, case_id)
        assert case.overdue and case.supervised_by == "330100-building" and case.state == "assigned"
        assert [e.kind for e in case.events][-2:] == ["overdue", "supervised"]
        # the oversight view: overdue cases of the city, for its inspector
        overdue = service.list_cases(db_session=session, user=user(session, "insp"), overdue=True)
        assert [c.id for c in overdue] == [case_id]
        assert service.unread_count(db_session=session, user=user(session, "reg_city")) >= 1
    with seeded.transaction() as session:  # a second tick does not escalate again
        assert deadlines.tick(db_session=session, today=date(2026, 10, 30)).overdue == []


def test_feedback_deadline_and_submitted_cases(seeded: Database, open_case: OpenCase) -> None:
    orange = open_case(grade="orange")  # 15 working days from 2026-09-30 → 2026-10-27
    to_verifying(seeded, orange)
    with seeded.session() as session:
        assert session.get_one(Case, orange).due_date == date(2026, 10, 27)
    with seeded.transaction() as session:
        assert deadlines.tick(db_session=session, today=date(2026, 10, 27)).overdue == []
        assert deadlines.tick(db_session=session, today=date(2026, 10, 28)).overdue == [orange]


def test_notifications_reach_smtp_and_the_dingtalk_robot(seeded: Database, open_case: OpenCase) -> None:
    with seeded.transaction() as session:
        session.execute(update(Department).values(email="zjj@xihu.example.gov.cn"))
    case_id = open_case(grade="red")
    with seeded.session() as session:
        notes = session.scalars(select(Notification).where(Notification.case_id == case_id)).all()
        in_app = {n.username for n in notes if n.username}
        # the county regulators, the city regulator and the city inspector; not Ningbo's, not water's
        assert {"reg", "reg2", "reg_city", "insp", "selfrev"} <= in_app
        assert not in_app & {"insp_ningbo", "reg_water"}
    with smtp_sink() as (port, mails), webhook_sink() as (url, posts):
        settings = seeded.settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": port, "dingtalk_webhook_url": url}
        )
        sent = _deliver(settings)
        assert (sent.emailed, sent.pushed, sent.failed) == (1, 1, 0)
        assert len(mails) == 1 and "zjj@xihu.example.gov.cn" in mails[0]
        assert posts[0]["msgtype"] == "markdown" and "新预警分办" in posts[0]["markdown"]["title"]
        assert f"case: {case_id}" in posts[0]["markdown"]["text"]
        again = _deliver(settings)
        assert (again.emailed, again.pushed) == (0, 0)  # each outbox row goes out once


def test_a_failed_delivery_stays_pending(seeded: Database, open_case: OpenCase) -> None:
    with seeded.transaction() as session:
        session.execute(update(Department).values(email="zjj@xihu.example.gov.cn"))
    open_case()
    with smtp_sink() as (port, _mails):
        pass  # closed: nothing listens on the port any more
    down = seeded.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    assert _deliver(down).failed == 1
    with smtp_sink() as (port, mails):
        up = seeded.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        assert _deliver(up).emailed == 1 and len(mails) == 1

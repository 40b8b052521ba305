"""Notifications: in-app rows per user, plus an outbox row per event for e-mail and the DingTalk robot.

The outbox is written in the case's transaction and sent by ``deliver_pending`` after the commit, so a
rolled-back change never announces itself, and a mail server that is down delays a message instead of
refusing the regulator's work. A failed send stays pending and is retried by the next delivery.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tenderwatch.auth.models import User
from tenderwatch.case.models import Case, Department, Notification
from tenderwatch.case.routing import covers
from tenderwatch.config import Settings
from tenderwatch.db import Database, utcnow

log = logging.getLogger("tenderwatch.case")


def queue(
    *, db_session: Session, case: Case, kind: str, title_zh: str, title_en: str, department: Department
) -> None:
    """One in-app row per regulator and inspector covering the department, one outbox row for the rest."""
    users = db_session.scalars(select(User).where(User.active.is_(True)).options(selectinload(User.grants)))
    for user in users:
        if any(
            covers(user, role, department.region_prefix, case.industry) for role in ("regulator", "inspector")
        ):
            db_session.add(
                Notification(
                    username=user.username, case_id=case.id, kind=kind, title_zh=title_zh, title_en=title_en
                )
            )
    db_session.add(
        Notification(
            username=None,
            department_code=department.code,
            case_id=case.id,
            kind=kind,
            title_zh=title_zh,
            title_en=title_en,
            email_to=department.email,
        )
    )


def dingtalk_payload(note: Notification) -> dict[str, object]:
    """The DingTalk custom robot's markdown message."""
    text = (
        f"### {note.title_zh}\n\n{note.title_en}\n\n- 案件 / case: {note.case_id}\n- 类型 / kind: {note.kind}"
    )
    return {"msgtype": "markdown", "markdown": {"title": note.title_zh, "text": text}}


def _email(settings: Settings, note: Notification) -> None:
    assert settings.smtp_host and note.email_to
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = note.email_to
    message["Subject"] = f"[tenderwatch] {note.title_zh}"
    message.set_content(f"{note.title_zh}\n{note.title_en}\n\n案件 / case #{note.case_id}")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


def _push(url: str, note: Notification) -> None:
    body = json.dumps(dingtalk_payload(note), ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@dataclass
class Delivered:
    emailed: int = 0
    pushed: int = 0
    failed: int = 0


def deliver_pending(database: Database) -> Delivered:
    """Send the outbox; each row is marked as soon as its channel succeeded."""
    settings, result = database.settings, Delivered()
    with database.transaction() as session:
        pending = session.scalars(
            select(Notification)
            .where(Notification.username.is_(None))
            .where(or_(Notification.emailed_at.is_(None), Notification.pushed_at.is_(None)))
            .order_by(Notification.id)
        ).all()
        for note in pending:
            if note.emailed_at is None and settings.smtp_host and note.email_to:
                try:
                    _email(settings, note)
                    note.emailed_at, result.emailed = utcnow(), result.emailed + 1
                except (OSError, smtplib.SMTPException) as exc:
                    log.warning("case e-mail %s failed: %s", note.id, exc)
                    result.failed += 1
            if note.pushed_at is None and settings.dingtalk_webhook_url:
                try:
                    _push(settings.dingtalk_webhook_url, note)
                    note.pushed_at, result.pushed = utcnow(), result.pushed + 1
                except OSError as exc:
                    log.warning("case webhook %s failed: %s", note.id, exc)
                    result.failed += 1
    return result


def mark_read(*, db_session: Session, user: User) -> int:
    notes = db_session.scalars(
        select(Notification).where(Notification.username == user.username, Notification.read_at.is_(None))
    ).all()
    for note in notes:
        note.read_at = utcnow()
    return len(notes)

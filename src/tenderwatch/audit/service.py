"""Appending to the audit log, inside the caller's transaction.

    from tenderwatch.audit.service import record
    record(db_session, actor=user.username, action="view_personal", subject_type="complaint",
           subject_id=str(complaint.id), details={"fields": ["name", "phone"]},
           personal={"complainant": complaint.name})

The event is written when the caller commits and vanishes if it rolls back, so the log never claims an
action that did not happen. ``details`` must not hold personal data; pass that as ``personal``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tenderwatch.audit.models import ACTIONS, AuditEvent, AuditHead, AuditPersonal
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError

ENTRY_DOMAIN = b"tenderwatch-audit-entry-v1\n"  # domain separation: an entry hash is never another hash


def canonical(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8. Same bytes on every backend and Python run."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def format_time(at: datetime) -> str:
    # Microseconds always printed: the databases keep them, and isoformat() drops ".000000" otherwise.
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def entry_body(event: AuditEvent, seq: int | None = None) -> dict[str, Any]:
    return {
        "seq": event.seq if seq is None else seq,
        "at": format_time(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "details": event.details,
        "personal_hash": event.personal_hash,
        "prev_hash": event.prev_hash,
    }


def compute_entry_hash(event: AuditEvent, seq: int | None = None) -> str:
    """SHA-256 over the canonical entry including ``prev_hash``: the link that makes the log a chain."""
    return hashlib.sha256(ENTRY_DOMAIN + canonical(entry_body(event, seq))).hexdigest()


def _normalise(details: dict[str, Any]) -> dict[str, Any]:
    # Store exactly what is hashed: a JSON round trip turns tuples into lists, int keys into strings, etc.
    try:
        result: dict[str, Any] = json.loads(canonical(details))
    except (TypeError, ValueError) as exc:
        raise UserError("审计详情须为JSON对象", f"audit details must be plain JSON: {exc}") from exc
    return result


def record(
    session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; the caller commits. Concurrent appenders queue on the head row."""
    if action not in ACTIONS:
        raise UserError(f"未知审计动作：{action}", f"unknown audit action: {action}")
    clean = _normalise(details or {})
    # The UPDATE comes first on purpose: it takes the row lock on PostgreSQL and the write lock on SQLite
    # before the head is read, so two appenders can never both build on the same previous entry.
    bumped = session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    if getattr(bumped, "rowcount", 1) != 1:
        raise UserError(
            "审计日志头记录缺失，请升级数据库", "audit head row missing; run `tenderwatch db upgrade`"
        )
    head = session.execute(select(AuditHead.seq, AuditHead.entry_hash).where(AuditHead.id == 1)).one()
    personal_hash = _store_personal(session, personal) if personal else None
    event = AuditEvent(
        seq=head.seq,
        at=utcnow(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=clean,
        personal_hash=personal_hash,
        prev_hash=head.entry_hash,
    )
    event.entry_hash = compute_entry_hash(event)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(entry_hash=event.entry_hash))
    session.flush()
    return event


def _store_personal(session: Session, personal: dict[str, Any]) -> str:
    # Salted: names and ID numbers are guessable, and a bare hash in the log would confirm a guess.
    salt = secrets.token_hex(16)
    payload = _normalise(personal)
    digest = hashlib.sha256(bytes.fromhex(salt) + canonical(payload)).hexdigest()
    session.add(AuditPersonal(hash=digest, salt=salt, payload=payload))
    return digest


def personal_payload(session: Session, personal_hash: str) -> dict[str, Any] | None:
    row = session.get(AuditPersonal, personal_hash)
    return None if row is None else row.payload


def erase_personal(session: Session, personal_hash: str, actor: str) -> None:
    """Delete one personal payload (a legal erasure request). The chain keeps its hash and stays valid."""
    row = session.get(AuditPersonal, personal_hash)
    if row is None:
        raise UserError("没有该个人信息记录", f"no personal payload {personal_hash}")
    session.delete(row)
    record(session, actor, "erase_personal", "audit_personal", personal_hash)


def events(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def recent(session: Session, limit: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)))

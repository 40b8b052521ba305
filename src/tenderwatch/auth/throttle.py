"""Login throttling: too many failed sign-ins for a username, or from a client address, within a window
refuse further attempts for a cooling-off period.

Rules (numbers from ``Settings``):

- a username is throttled when it has ``login_max_failures`` failures in the last ``login_window_seconds``
  counted since its last successful sign-in (success resets the username's counter);
- an address is throttled when ``login_max_failures_per_client`` failures came from it in the window,
  whatever the usernames (password spraying); success does not reset it;
- a throttled key stays refused until ``login_lockout_seconds`` after its latest failure.

Refused attempts are not stored as failures, so a throttled attacker cannot extend the lock of a
legitimate user forever; they are recorded in the audit trail by ``flows.sign_in``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from tenderwatch.auth.models import LoginAttempt
from tenderwatch.config import Settings


def normalise(username: str) -> str:
    return username.strip().lower()[:64]


def _window_start(settings: Settings, now: datetime) -> datetime:
    return now - timedelta(seconds=settings.login_window_seconds)


def _locked_until(
    db_session: Session, condition: ColumnElement[bool], since: datetime, limit: int, lockout: timedelta
) -> datetime | None:
    query = select(func.count(), func.max(LoginAttempt.at)).where(
        condition, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since
    )
    count, latest = db_session.execute(query).one()
    if int(count or 0) < limit or latest is None:
        return None
    return latest + lockout


def retry_after(
    *, db_session: Session, settings: Settings, username: str, client: str | None, now: datetime
) -> datetime | None:
    """When the attempt may be made again if it is throttled now; None when it may go ahead."""
    lockout = timedelta(seconds=settings.login_lockout_seconds)
    start = _window_start(settings, now)
    name = normalise(username)
    last_success = db_session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.username == name, LoginAttempt.succeeded)
    )
    since = max(start, last_success) if last_success is not None else start
    until = [
        _locked_until(db_session, LoginAttempt.username == name, since, settings.login_max_failures, lockout)
    ]
    if client:
        until.append(
            _locked_until(
                db_session,
                LoginAttempt.client == client,
                start,
                settings.login_max_failures_per_client,
                lockout,
            )
        )
    blocked = [u for u in until if u is not None and u > now]
    return max(blocked) if blocked else None


def note(
    *, db_session: Session, settings: Settings, username: str, client: str | None, ok: bool, now: datetime
) -> None:
    """Store the outcome of an attempt that was checked, and prune rows nobody counts any more."""
    horizon = now - timedelta(seconds=max(settings.login_window_seconds, settings.login_lockout_seconds))
    # Keep the latest success of each username (it bounds the username's count), drop the rest when old.
    db_session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < horizon, LoginAttempt.succeeded.is_(False))
    )
    name = normalise(username)
    if ok:
        db_session.execute(delete(LoginAttempt).where(LoginAttempt.username == name, LoginAttempt.succeeded))
    db_session.add(LoginAttempt(username=name, client=(client or None) and client[:64], succeeded=ok, at=now))

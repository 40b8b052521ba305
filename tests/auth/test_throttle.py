"""Login throttling: per username, per client address, release after the cooling-off, audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.service import personal_payload
from tenderwatch.auth import flows, service
from tenderwatch.db import Database

T0 = datetime(2026, 11, 28, 9, 0, 0)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def users(db: Database) -> Database:
    with db.transaction() as session:
        for name in ("zhang", "li"):
            service.create_user(
                db_session=session, username=name, display_name=name, password="right-pw", grants=[]
            )
    return db


def attempt(db: Database, username: str, password: str, at: datetime, client: str = "10.0.0.1") -> bool:
    """True: signed in; False: wrong credentials; raises LoginThrottled when refused."""
    with db.session() as session:
        user = flows.sign_in(
            db_session=session,
            username=username,
            password=password,
            client=client,
            settings=db.settings,
            now=at,
        )
        return user is not None


def test_throttled_after_n_failures_then_released_after_the_cooling_off(users: Database) -> None:
    n = users.settings.login_max_failures
    lockout = timedelta(seconds=users.settings.login_lockout_seconds)
    for i in range(n):
        assert attempt(users, "zhang", "wrong", T0 + timedelta(seconds=i)) is False
    last = T0 + timedelta(seconds=n - 1)
    # Refused even with the right password: the lock does not reveal whether a guess was right.
    with pytest.raises(flows.LoginThrottled) as refused:
        attempt(users, "zhang", "right-pw", last + timedelta(seconds=1))
    assert refused.value.until == last + lockout
    # Case variations are the same account.
    with pytest.raises(flows.LoginThrottled):
        attempt(users, " ZHANG ", "right-pw", last + timedelta(seconds=2))
    # Another account from another address is not affected.
    assert attempt(users, "li", "right-pw", last + timedelta(seconds=3), client="10.0.0.2") is True
    # Refused attempts do not extend the lock; after the cooling-off the right password works again.
    assert attempt(users, "zhang", "right-pw", last + lockout) is True


def test_success_resets_the_username_counter(users: Database) -> None:
    n = users.settings.login_max_failures
    for i in range(n - 1):
        attempt(users, "zhang", "wrong", T0 + timedelta(seconds=i))
    assert attempt(users, "zhang", "right-pw", T0 + timedelta(seconds=n)) is True
    for i in range(n - 1):
        assert attempt(users, "zhang", "wrong", T0 + timedelta(seconds=n + 1 + i)) is False
    assert attempt(users, "zhang", "right-pw", T0 + timedelta(seconds=2 * n + 1)) is True


def test_failures_older_than_the_window_do_not_count(users: Database) -> None:
    n = users.settings.login_max_failures
    window = timedelta(seconds=users.settings.login_window_seconds)
    for i in range(n - 1):
        attempt(users, "zhang", "wrong", T0 + timedelta(seconds=i))
    later = T0 + window + timedelta(seconds=n)
    assert attempt(users, "zhang", "wrong", later) is False
    assert attempt(users, "zhang", "right-pw", later + timedelta(seconds=1)) is True


def test_one_address_spraying_many_usernames_is_throttled(users: Database) -> None:
    limit = users.settings.login_max_failures_per_client
    assert limit > users.settings.login_max_failures
    for i in range(limit):
        attempt(users, f"guess{i}", "wrong", T0 + timedelta(seconds=i), client="203.0.113.9")
    with pytest.raises(flows.LoginThrottled):
        attempt(users, "li", "right-pw", T0 + timedelta(seconds=limit), client="203.0.113.9")
    # The same account from another address still works: the address, not the account, is throttled.
    assert attempt(users, "li", "right-pw", T0 + timedelta(seconds=limit), client="10.0.0.2") is True


def test_throttled_attempts_are_audited(users: Database) -> None:
    n = users.settings.login_max_failures
    for i in range(n):
        attempt(users, "zhang", "wrong", T0 + timedelta(seconds=i), client="10.0.0.7")
    with pytest.raises(flows.LoginThrottled):
        attempt(users, "zhang", "right-pw", T0 + timedelta(seconds=n), client="10.0.0.7")
    with users.session() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        failed = [e for e in events if e.action == "login_failed"]
        assert len(failed) == n + 1
        throttled = failed[-1]
        assert throttled.details["throttled"] is True and throttled.actor == "anonymous"
        assert throttled.personal_hash is not None
        assert personal_payload(session, throttled.personal_hash) == {
            "username": "zhang",
            "client": "10.0.0.7",
        }
        assert not any(e.action == "login" for e in events)

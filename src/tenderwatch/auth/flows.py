"""Multi-step auth work: signing in (the place where throttling and audit will hook in) and the demo
accounts.

Demo accounts: one per role, usernames ``demo-<role>`` (``demo-data-steward`` etc.), all with the password
``DEMO_PASSWORD``. They exist for ``tenderwatch demo`` and the browser tests only; production refuses
them (``ensure_demo_accounts`` raises when ``production`` is set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tenderwatch.audit import service as audit
from tenderwatch.auth import service, throttle
from tenderwatch.auth.models import ROLES, User
from tenderwatch.config import Settings, get_settings
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError

DEMO_PASSWORD = "tenderwatch-demo"

_DISPLAY = {
    "inspector": "演示·纪检监察干部",
    "regulator": "演示·杭州市住建监管",
    "reviewer": "演示·审核人",
    "data_steward": "演示·数源单位数据管理员",
    "model_owner": "演示·模型管理员",
    "admin": "演示·系统管理员",
    "platform": "演示·公共资源交易平台",
}

# Province-wide grants, except the regulator: a city construction bureau (杭州, building works), so the
# demo shows jurisdiction and industry narrowing.
_SCOPE: dict[str, tuple[str, list[str]]] = {"regulator": ("3301", ["building"])}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    region_prefix: str
    industries: tuple[str, ...]
    display_name: str
    created: bool


def demo_username(role: str) -> str:
    return "demo-" + role.replace("_", "-")


def ensure_demo_accounts(*, db_session: Session, production: bool = False) -> list[DemoAccount]:
    """Create the missing demo accounts (existing ones are left as they are); the caller commits."""
    if production:
        raise UserError("生产环境不创建演示账号", "Demo accounts are not created in production")
    accounts: list[DemoAccount] = []
    for role in ROLES:
        region, industries = _SCOPE.get(role, ("33", []))
        username = demo_username(role)
        created = service.get_by_username(db_session=db_session, username=username) is None
        if created:
            service.create_user(
                db_session=db_session,
                username=username,
                display_name=_DISPLAY[role],
                password=DEMO_PASSWORD,
                grants=[(role, region, industries)],
            )
            # An account with grants is a change like any other (auth.admin records its own the same way).
            details = {"op": "create", "demo": True, "grants": [[role, region, list(industries)]]}
            audit.record(db_session, "system", "change", "user", username, details)
        accounts.append(
            DemoAccount(username, DEMO_PASSWORD, role, region, tuple(industries), _DISPLAY[role], created)
        )
    return accounts


class LoginThrottled(Exception):
    """Too many failed sign-ins for this username or from this address; ``until`` is when to retry."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


def sign_in(
    *,
    db_session: Session,
    username: str,
    password: str,
    client: str | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> User | None:
    """Check credentials for an interactive sign-in, and record the attempt in the audit log.

    Per-account and per-address throttling (``auth.throttle``) and the audit record belong here, not in
    the view, so every entry point shares them. A throttled attempt raises ``LoginThrottled`` without
    looking at the password (so guessing goes nowhere), after spending the time of a check so the
    refusal is not faster than a normal attempt. The typed username of a failed attempt and the client
    address are personal data (people type passwords into the username box), so they go to the erasable
    personal payload.
    """
    settings = settings or get_settings()
    now = now or utcnow()
    until = throttle.retry_after(
        db_session=db_session, settings=settings, username=username, client=client, now=now
    )
    if until is not None:
        service.equalise_timing(password)
        audit.record(
            db_session,
            "anonymous",
            "login_failed",
            "user",
            "-",
            details={"throttled": True, "until": until.isoformat(timespec="seconds")},
            personal={"username": username, "client": client},
        )
        db_session.commit()
        raise LoginThrottled(until)
    user = service.authenticate(db_session=db_session, username=username, password=password)
    throttle.note(
        db_session=db_session,
        settings=settings,
        username=username,
        client=client,
        ok=user is not None,
        now=now,
    )
    if user is None:
        audit.record(
            db_session,
            "anonymous",
            "login_failed",
            "user",
            "-",
            personal={"username": username, "client": client},
        )
    else:
        audit.record(db_session, user.username, "login", "user", str(user.id), personal={"client": client})
    db_session.commit()
    return user

"""API tokens: shown once, stored as a SHA-256 hash under a public id, revocable, bound to an active user;
creation and revocation are in the audit trail."""

from __future__ import annotations

import hashlib

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from typer.testing import CliRunner

from tenderwatch.audit.models import AuditEvent
from tenderwatch.auth import service, tokens
from tenderwatch.auth.cli import tokens_app
from tenderwatch.auth.models import ApiToken
from tenderwatch.config import Settings, get_settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


def _platform(db: Database) -> str:
    with db.transaction() as session:
        service.create_user(
            db_session=session,
            username="hz-platform",
            display_name="杭州公共资源交易平台",
            password="pw-123456",
            grants=[("platform", "3301", [])],
        )
        _row, clear = tokens.create_token(
            db_session=session, username="hz-platform", name="bids", actor="admin"
        )
    return clear


def test_token_is_stored_only_as_its_hash(db: Database) -> None:
    clear = _platform(db)
    tag, prefix, secret = clear.split("_", 2)
    assert tag == "tw" and len(prefix) == 12 and len(secret) >= 40
    with db.session() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.prefix == prefix
        assert row.token_hash == hashlib.sha256(clear.encode()).hexdigest()
        assert secret not in (row.token_hash + row.prefix + row.name)
        assert (row.last_used_at, row.revoked_at, row.created_by) == (None, None, "admin")


def test_authenticate_grants_and_last_use(db: Database) -> None:
    clear = _platform(db)
    with db.session() as session:
        row = tokens.authenticate_token(db_session=session, token=clear)
        assert row is not None and row.last_used_at is not None
        assert [(g.role, g.region_prefix) for g in row.user.grants] == [("platform", "3301")]
    with db.session() as session:
        for bad in (
            "",
            "tw",
            "tw__",
            clear[:-1],
            clear + "x",
            "xx" + clear[2:],
            clear.replace("tw_", "tw_0", 1),
        ):
            assert tokens.authenticate_token(db_session=session, token=bad) is None, bad


def test_revoked_token_and_disabled_user_stop_at_once(db: Database) -> None:
    clear = _platform(db)
    token_id = "_".join(clear.split("_")[:2])
    with db.transaction() as session:
        assert (
            tokens.revoke_token(db_session=session, token_id=token_id, actor="admin").revoked_at is not None
        )
    with db.session() as session:
        assert tokens.authenticate_token(db_session=session, token=clear) is None
    with db.transaction() as session:
        _row, second = tokens.create_token(
            db_session=session, username="hz-platform", name="again", actor="admin"
        )
    with db.transaction() as session:
        user = service.get_by_username(db_session=session, username="hz-platform")
        assert user is not None
        user.active = False
    with db.session() as session:
        assert tokens.authenticate_token(db_session=session, token=second) is None
    with db.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "api_token")).all()
        assert [(e.subject_id == token_id, e.details["op"]) for e in events][:2] == [
            (True, "create"),
            (True, "revoke"),
        ]
        assert clear not in str([e.details for e in events])


def test_refusals(db: Database) -> None:
    _platform(db)
    with db.transaction() as session, pytest.raises(UserError, match="No active user"):
        tokens.create_token(db_session=session, username="nobody", name="x", actor="admin")
    with db.transaction() as session, pytest.raises(UserError, match="needs a name"):
        tokens.create_token(db_session=session, username="hz-platform", name=" ", actor="admin")
    with db.transaction() as session, pytest.raises(UserError, match="No such token"):
        tokens.revoke_token(db_session=session, token_id="tw_000000000000", actor="admin")


def test_cli_create_list_revoke(db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """`tenderwatch tokens …` against the test database: the token is printed once, never listed."""
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("TENDERWATCH_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("TENDERWATCH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        _platform(db)  # the first token; the CLI issues a second
        created = CliRunner().invoke(tokens_app, ["create", "hz-platform", "--name", "杭州交易平台"])
        assert created.exit_code == 0, created.output
        clear = next(
            word for word in created.output.split() if word.startswith("tw_") and word.count("_") >= 2
        )
        token_id = "_".join(clear.split("_")[:2])
        listed = CliRunner().invoke(tokens_app, ["list"])
        assert listed.exit_code == 0 and token_id in listed.output and clear not in listed.output
        assert CliRunner().invoke(tokens_app, ["revoke", token_id]).exit_code == 0
        with db.session() as session:
            assert tokens.authenticate_token(db_session=session, token=clear) is None
    finally:
        get_settings.cache_clear()

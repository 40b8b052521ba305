"""Account administration: `tenderwatch users …` creates users and grants, disables, resets passwords and
keeps the ID number behind an account; every step is an audited change, the ID number only in the
erasable personal part."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tenderwatch.audit import service as audit
from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.verify import verify_database
from tenderwatch.auth import admin, service
from tenderwatch.auth.users_cli import users_app
from tenderwatch.config import get_settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError

ID_NUMBER = "11010519491231002X"  # the national standard's worked example (GB 11643)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def cli(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(db.settings.data_dir))
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", db.settings.effective_database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _events(db: Database) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_users_cli_round_trip(db: Database, cli: CliRunner) -> None:
    grant = ["--role", "regulator", "--region", "330106", "--industries", "building"]
    added = cli.invoke(
        users_app,
        ["add", "xh-zj", "--name", "西湖区住建局 张三", *grant, "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert cli.invoke(users_app, ["grant", "xh-zj", "--role", "reviewer", "--region", "3301"]).exit_code == 0
    listed = cli.invoke(users_app, ["list"]).output
    assert "regulator@330106[building]" in listed and "reviewer@3301" in listed
    assert (
        cli.invoke(users_app, ["revoke-grant", "xh-zj", "--role", "reviewer", "--region", "3301"]).exit_code
        == 0
    )
    assert cli.invoke(users_app, ["disable", "xh-zj"]).exit_code == 0
    with db.session() as session:
        assert service.authenticate(db_session=session, username="xh-zj", password=PASSWORD) is None
    assert cli.invoke(users_app, ["enable", "xh-zj"]).exit_code == 0
    new_password = "another long passphrase"
    assert (
        cli.invoke(users_app, ["passwd", "xh-zj", "--password-stdin"], input=new_password + "\n").exit_code
        == 0
    )
    with db.session() as session:
        signed = service.authenticate(db_session=session, username="xh-zj", password=new_password)
        assert signed is not None and [g.role for g in signed.grants] == ["regulator"]

    assert cli.invoke(users_app, ["identity", "add", "xh-zj", ID_NUMBER.lower()]).exit_code == 0
    masked = cli.invoke(users_app, ["identity", "list"]).output
    assert "110105********002X" in masked and ID_NUMBER not in masked
    shown = cli.invoke(users_app, ["identity", "list", "--show"]).output
    assert ID_NUMBER in shown

    events = _events(db)
    ops = [(e.action, e.subject_type, e.details.get("op")) for e in events]
    assert ops == [
        ("change", "user", "create"),
        ("change", "user", "grant"),
        ("change", "user", "revoke_grant"),
        ("change", "user", "disable"),
        ("change", "user", "enable"),
        ("change", "user", "password"),
        ("change", "user_identity", "add"),
        ("view_personal", "user_identity", None),
    ]
    assert all(e.actor.startswith("cli") for e in events)
    # The ID number is in the erasable personal part only, never in the hashed entry itself.
    assert not any(ID_NUMBER in str(e.details) for e in events)
    with db.session() as session:
        personal_hash = events[6].personal_hash
        assert personal_hash and audit.personal_payload(session, personal_hash) == {"id_number": ID_NUMBER}
        assert verify_database(session).ok


def test_bad_input_is_refused_with_a_clear_message(db: Database, cli: CliRunner) -> None:
    short = cli.invoke(
        users_app,
        ["add", "u1", "--name", "x", "--role", "regulator", "--region", "3301", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code != 0 and isinstance(short.exception, UserError)
    assert "12" in str(short.exception)
    with db.transaction() as session:
        admin.add_user(
            db_session=session, actor="t", username="u2", display_name="x", password=PASSWORD, grants=[]
        )
    refused: list[tuple[Callable[[Session], object], str]] = [
        (
            lambda s: admin.add_grant(
                db_session=s, actor="t", username="u2", role="boss", region_prefix="33", industries=[]
            ),
            "未知角色",
        ),
        (
            lambda s: admin.add_grant(
                db_session=s, actor="t", username="u2", role="inspector", region_prefix="3x", industries=[]
            ),
            "行政区划",
        ),
        (
            lambda s: admin.add_identity(
                db_session=s, actor="t", username="u2", id_number="110105194912310021"
            ),
            "身份证",
        ),
        (
            lambda s: admin.add_identity(db_session=s, actor="t", username="nobody", id_number=ID_NUMBER),
            "用户不存在",
        ),
        (
            lambda s: admin.remove_grant(
                db_session=s, actor="t", username="u2", role="inspector", region_prefix="33"
            ),
            "没有",
        ),
    ]
    for call, fragment in refused:
        with pytest.raises(UserError, match=fragment), db.transaction() as session:
            call(session)
    with db.transaction() as session:
        admin.add_identity(db_session=session, actor="t", username="u2", id_number=ID_NUMBER)
    with pytest.raises(UserError, match="已登记"), db.transaction() as session:
        admin.add_identity(db_session=session, actor="t", username="u2", id_number=ID_NUMBER)
    with db.transaction() as session:
        admin.remove_identity(db_session=session, actor="t", username="u2", id_number=ID_NUMBER)
    with db.session() as session:
        assert admin.identities(db_session=session) == {}
        # Refused steps left no audit record behind: one create, one identity add, one removal.
        assert [
            e.details.get("op") for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        ] == [
            "create",
            "add",
            "remove",
        ]

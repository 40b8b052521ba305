"""Users, passwords and the demo accounts, on both database backends."""

from __future__ import annotations

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tenderwatch.auth import flows, service
from tenderwatch.auth.models import ROLES
from tenderwatch.db import Database
from tenderwatch.errors import UserError


def test_create_and_authenticate(db: Database) -> None:
    with db.transaction() as session:
        user = service.create_user(
            db_session=session,
            username="zhang",
            display_name="张三",
            password="s3cret-pass",
            grants=[("regulator", "330106", ["building"])],
        )
        assert user.password_hash.startswith("$argon2id$")
        assert "s3cret-pass" not in user.password_hash
    with db.session() as session:
        found = service.authenticate(db_session=session, username="zhang", password="s3cret-pass")
        assert found is not None
        assert [(g.role, g.region_prefix, g.industries) for g in found.grants] == [
            ("regulator", "330106", ["building"])
        ]
        assert service.authenticate(db_session=session, username="zhang", password="wrong") is None
        assert service.authenticate(db_session=session, username="nobody", password="s3cret-pass") is None


def test_inactive_user_cannot_sign_in(db: Database) -> None:
    with db.transaction() as session:
        user = service.create_user(
            db_session=session, username="li", display_name="李四", password="pw-123456", grants=[]
        )
        user.active = False
    with db.session() as session:
        assert service.authenticate(db_session=session, username="li", password="pw-123456") is None


@pytest.mark.parametrize(
    ("username", "grants"),
    [
        ("dup", [("inspector", "33", [])]),
        ("x", [("emperor", "33", [])]),
        ("y", [("inspector", "3x", [])]),
        ("z", [("inspector", "33010", [])]),
    ],
)
def test_create_user_refuses_bad_input(
    db: Database, username: str, grants: list[tuple[str, str, list[str]]]
) -> None:
    with db.transaction() as session:
        service.create_user(db_session=session, username="dup", display_name="d", password="pw", grants=[])
    with db.session() as session, pytest.raises(UserError):
        service.create_user(
            db_session=session, username=username, display_name="d", password="pw", grants=grants
        )


def test_outdated_hash_is_upgraded_on_sign_in(db: Database) -> None:
    weak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192),)).hash("old-password")
    with db.transaction() as session:
        user = service.create_user(
            db_session=session, username="wang", display_name="王五", password="tmp", grants=[]
        )
        user.password_hash = weak
    with db.transaction() as session:
        assert service.authenticate(db_session=session, username="wang", password="old-password") is not None
    with db.session() as session:
        user = service.get_by_username(db_session=session, username="wang")
        assert user is not None and user.password_hash != weak
        assert service.verify_password("old-password", user.password_hash)[0]


def test_demo_accounts_are_idempotent(db: Database) -> None:
    with db.transaction() as session:
        first = flows.ensure_demo_accounts(db_session=session)
    with db.transaction() as session:
        second = flows.ensure_demo_accounts(db_session=session)
    assert [a.role for a in first] == list(ROLES)
    assert all(a.created for a in first) and not any(a.created for a in second)
    by_role = {a.role: a for a in first}
    assert by_role["regulator"].region_prefix == "3301" and by_role["regulator"].industries == ("building",)
    assert by_role["inspector"].region_prefix == "33"
    assert by_role["data_steward"].username == "demo-data-steward"
    with db.session() as session:
        for account in first:
            user = service.authenticate(
                db_session=session, username=account.username, password=account.password
            )
            assert user is not None and service.roles_of(user) == {account.role}


def test_no_demo_accounts_in_production(db: Database) -> None:
    with db.session() as session, pytest.raises(UserError):
        flows.ensure_demo_accounts(db_session=session, production=True)

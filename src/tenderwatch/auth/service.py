"""Users and grants: plain keyword-only CRUD, password hashing and verification.

Passwords are hashed with Argon2id (pwdlib). ``authenticate`` re-hashes on success when the stored hash
uses outdated parameters, so raising the cost later needs no migration.
"""

from __future__ import annotations

from collections.abc import Sequence

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tenderwatch.auth.models import ROLES, Grant, User
from tenderwatch.errors import UserError

_hasher = PasswordHash((Argon2Hasher(),))

# Verifying against this hash when the user does not exist keeps the response time of "no such user"
# equal to that of "wrong password", so timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("tenderwatch-timing-equaliser")

GrantSpec = tuple[str, str, Sequence[str]]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """(matches, new hash if the stored one should be upgraded)."""
    return _hasher.verify_and_update(password, password_hash)


def get(*, db_session: Session, user_id: int) -> User | None:
    """The user with grants loaded: pages read them after the request's session has closed."""
    return db_session.get(User, user_id, options=[selectinload(User.grants)])


def get_by_username(*, db_session: Session, username: str) -> User | None:
    return db_session.scalars(select(User).where(User.username == username)).one_or_none()


def check_grant(role: str, region_prefix: str) -> None:
    """A grant names a known role and a 2, 4 or 6 digit region prefix (province, city, county)."""
    if role not in ROLES:
        raise UserError(
            f"未知角色：{role}（可选 {'、'.join(ROLES)}）", f"Unknown role: {role} ({', '.join(ROLES)})"
        )
    if not region_prefix.isdigit() or len(region_prefix) not in (2, 4, 6):
        raise UserError(
            f"辖区须为2、4或6位行政区划代码：{region_prefix}",
            f"Jurisdiction must be a 2, 4 or 6 digit region code: {region_prefix}",
        )


def create_user(
    *,
    db_session: Session,
    username: str,
    display_name: str,
    password: str,
    grants: Sequence[GrantSpec],
) -> User:
    """Add a user with its grants (role, region prefix, industries); the caller commits."""
    username = username.strip()
    if not username or not password:
        raise UserError("用户名和密码不能为空", "Username and password must not be empty")
    if get_by_username(db_session=db_session, username=username) is not None:
        raise UserError(f"用户名已存在：{username}", f"Username already exists: {username}")
    for role, region_prefix, _industries in grants:
        check_grant(role, region_prefix)
    user = User(username=username, display_name=display_name, password_hash=hash_password(password))
    user.grants = [
        Grant(role=role, region_prefix=region_prefix, industries=list(industries))
        for role, region_prefix, industries in grants
    ]
    db_session.add(user)
    db_session.flush()
    return user


def equalise_timing(password: str) -> None:
    """Spend the time of one password check without checking anything (a refused, throttled attempt)."""
    _hasher.verify(password, _DUMMY_HASH)


def authenticate(*, db_session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None. Upgrades an outdated hash (the caller commits)."""
    user = get_by_username(db_session=db_session, username=username.strip())
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        return None
    ok, new_hash = verify_password(password, user.password_hash)
    if not ok or not user.active:
        return None
    if new_hash is not None:
        user.password_hash = new_hash
    return user


def roles_of(user: User) -> set[str]:
    return {grant.role for grant in user.grants}


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def set_locale(*, db_session: Session, user: User, locale: str) -> None:
    user.locale = locale
    db_session.add(user)

"""Account administration with effects: users, grants, activation, passwords and the identity (ID number)
behind an account. Every step writes an audit ``change`` in the caller's transaction; an ID number goes
only into the audit record's erasable personal part. The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit import service as audit
from tenderwatch.auth import service
from tenderwatch.auth.models import Grant, User, UserIdentity
from tenderwatch.common.identifiers import is_valid_id_number, normalise_id_number
from tenderwatch.errors import UserError


def _user(db_session: Session, username: str) -> User:
    found = service.get_by_username(db_session=db_session, username=username)
    if found is None:
        raise UserError(f"用户不存在：{username}", f"No such user: {username}")
    return found


def _check_password(password: str) -> None:
    if len(password) < 12:
        raise UserError("密码至少12个字符", "The password needs at least 12 characters")


def add_user(
    *,
    db_session: Session,
    actor: str,
    username: str,
    display_name: str,
    password: str,
    grants: Sequence[tuple[str, str, Sequence[str]]],
) -> User:
    _check_password(password)
    user = service.create_user(
        db_session=db_session, username=username, display_name=display_name, password=password, grants=grants
    )
    grant_list = [[r, p, list(i)] for r, p, i in grants]
    audit.record(db_session, actor, "change", "user", user.username, {"op": "create", "grants": grant_list})
    return user


def add_grant(
    *,
    db_session: Session,
    actor: str,
    username: str,
    role: str,
    region_prefix: str,
    industries: Sequence[str],
) -> Grant:
    service.check_grant(role, region_prefix)
    user = _user(db_session, username)
    if any(g.role == role and g.region_prefix == region_prefix for g in user.grants):
        raise UserError(
            f"{username} 已有 {role}@{region_prefix} 授权", f"{username} already holds {role}@{region_prefix}"
        )
    grant = Grant(role=role, region_prefix=region_prefix, industries=list(industries))
    user.grants.append(grant)
    details = {"op": "grant", "role": role, "region": region_prefix, "industries": list(industries)}
    audit.record(db_session, actor, "change", "user", username, details)
    db_session.flush()
    return grant


def remove_grant(*, db_session: Session, actor: str, username: str, role: str, region_prefix: str) -> None:
    user = _user(db_session, username)
    kept = [g for g in user.grants if not (g.role == role and g.region_prefix == region_prefix)]
    if len(kept) == len(user.grants):
        raise UserError(
            f"{username} 没有 {role}@{region_prefix} 授权", f"{username} holds no {role}@{region_prefix}"
        )
    user.grants = kept
    details = {"op": "revoke_grant", "role": role, "region": region_prefix}
    audit.record(db_session, actor, "change", "user", username, details)
    db_session.flush()


def set_active(*, db_session: Session, actor: str, username: str, active: bool) -> None:
    # Disabling keeps the account and its history (cases name it); a disabled user cannot sign in.
    user = _user(db_session, username)
    user.active = active
    audit.record(db_session, actor, "change", "user", username, {"op": "enable" if active else "disable"})


def set_password(*, db_session: Session, actor: str, username: str, password: str) -> None:
    _check_password(password)
    user = _user(db_session, username)
    user.password_hash = service.hash_password(password)
    audit.record(db_session, actor, "change", "user", username, {"op": "password"})


def add_identity(*, db_session: Session, actor: str, username: str, id_number: str) -> UserIdentity:
    code = normalise_id_number(id_number)
    if not is_valid_id_number(code):
        raise UserError("不是有效的居民身份证号码", "Not a valid resident ID number")
    user = _user(db_session, username)
    existing = db_session.scalars(
        select(UserIdentity).where(UserIdentity.user_id == user.id, UserIdentity.id_number == code)
    ).first()
    if existing is not None:
        raise UserError(f"{username} 已登记该身份证号码", f"{username} already has that ID number")
    row = UserIdentity(user_id=user.id, id_number=code, added_by=actor)
    db_session.add(row)
    audit.record(
        db_session, actor, "change", "user_identity", username, {"op": "add"}, personal={"id_number": code}
    )
    db_session.flush()
    return row


def remove_identity(*, db_session: Session, actor: str, username: str, id_number: str) -> None:
    code = normalise_id_number(id_number)
    user = _user(db_session, username)
    row = db_session.scalars(
        select(UserIdentity).where(UserIdentity.user_id == user.id, UserIdentity.id_number == code)
    ).first()
    if row is None:
        raise UserError(f"{username} 未登记该身份证号码", f"{username} has no such ID number")
    db_session.delete(row)
    audit.record(
        db_session, actor, "change", "user_identity", username, {"op": "remove"}, personal={"id_number": code}
    )
    db_session.flush()


def identities(*, db_session: Session) -> dict[str, list[str]]:
    """username → ID numbers, for the conflict-of-interest check (disabled accounts included: a case they
    decided before leaving is still theirs)."""
    rows = db_session.execute(
        select(User.username, UserIdentity.id_number)
        .join(UserIdentity, UserIdentity.user_id == User.id)
        .order_by(User.username, UserIdentity.id)
    )
    out: dict[str, list[str]] = {}
    for username, code in rows:
        out.setdefault(username, []).append(code)
    return out


def list_users(*, db_session: Session) -> list[User]:
    return list(db_session.scalars(select(User).order_by(User.username)))

"""ORM: users and their grants.

A grant is (role, region prefix, industries): a regulator of Xihu district's construction bureau holds
("regulator", "330106", ["building"]). An empty industry list means every industry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenderwatch.db import Base, utcnow

ROLES = (
    "inspector",  # 纪检监察干部
    "regulator",  # 行业监管部门
    "reviewer",  # 审核人
    "data_steward",  # 数源单位数据管理员
    "model_owner",  # 模型管理员
    "admin",  # 系统管理员
    "platform",  # 公共资源交易平台 (machine)
)


class User(Base):
    __tablename__ = "auth_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    grants: Mapped[list[Grant]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Grant(Base):
    __tablename__ = "auth_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    region_prefix: Mapped[str] = mapped_column(String(6))
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)

    user: Mapped[User] = relationship(back_populates="grants")


class ApiToken(Base):
    """A bearer token for a machine user (trading platform, data steward's push client).

    Only the SHA-256 of the token is kept; ``prefix`` is the token's public id, shown in listings and
    logs and used to find the row, so a lookup never compares secrets. The user's grants apply.
    """

    __tablename__ = "auth_api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One sign-in attempt, kept for throttling (``auth.throttle``); rows older than the window are pruned.

    In the database rather than in memory so that every worker process of the server sees the same
    counts: an attacker spreading guesses over processes gains nothing. ``username`` is the normalised
    typed name (lower case) so case variations count as the same account.
    """

    __tablename__ = "auth_login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str | None] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(index=True)


class UserIdentity(Base):
    """The natural person behind an account: the ID number the conflict-of-interest check looks up in the
    correlation graph (a handler linked to a company of the case must recuse). Personal data: kept here,
    never in the audit log (which holds only its salted hash), and shown to administrators only.
    """

    __tablename__ = "auth_identity"
    __table_args__ = (UniqueConstraint("user_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

"""API tokens for machine users (trading platforms, data stewards' push clients).

A token looks like ``tw_<id>_<secret>``. ``<id>`` (12 hex digits) is public: it names the token in
listings, logs and the audit trail and finds its row. Only SHA-256 of the whole token is stored; the
token is shown once, at creation. A plain hash (not Argon2) is right here because the secret is 256
random bits, not a guessable password, and every API call checks it.

The token acts for the user it is bound to, so the user's grants (role, region prefix, industries)
apply; disabling the user or revoking the token stops it at once.

API routers that use ``require_token`` should be built with ``route_class=ApiErrorRoute`` so refusals
come back as ``{"error": {"code", "zh", "en"}}`` with the right status (401, 403, 422).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tenderwatch.audit import service as audit
from tenderwatch.auth.models import ApiToken, User
from tenderwatch.auth.service import has_role
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError
from tenderwatch.web.deps import get_db_session

TOKEN_TAG = "tw"
# Writing last-used on every call would make each gate query a write on SQLite's single writer; a
# resolution of minutes is enough to see which tokens are alive.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiError(Exception):
    """A refusal of a machine API call, with a bilingual reason."""

    def __init__(self, status: int, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def response(self) -> JSONResponse:
        body = {"error": {"code": self.code, "zh": self.message_zh, "en": self.message_en}}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


class ApiErrorRoute(APIRoute):
    """Turns ``ApiError`` (raised by a dependency or the view) into its JSON response.

    A route class rather than an app-wide handler keeps the machine API's error shape local to the
    routers that promise it, without touching the application's shared handlers.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as exc:
                return exc.response()

        return route


@dataclass(frozen=True)
class TokenPrincipal:
    """Who is calling: the token's public id and its user (grants loaded)."""

    token_id: str
    user: User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def display_id(token: ApiToken) -> str:
    return f"{TOKEN_TAG}_{token.prefix}"


def create_token(*, db_session: Session, username: str, name: str, actor: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns (row, the token in clear). The caller commits.

    The clear token exists only in the return value: it cannot be shown again.
    """
    user = db_session.scalars(select(User).where(User.username == username.strip())).one_or_none()
    if user is None or not user.active:
        raise UserError(f"没有可用的用户：{username}", f"No active user: {username}")
    if not name.strip():
        raise UserError("令牌须有名称（用途）", "A token needs a name (what it is for)")
    prefix = secrets.token_hex(6)
    clear = f"{TOKEN_TAG}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=user.id, prefix=prefix, token_hash=_digest(clear), name=name.strip()[:128], created_by=actor
    )
    db_session.add(token)
    db_session.flush()
    audit.record(
        db_session,
        actor,
        "change",
        "api_token",
        display_id(token),
        details={"op": "create", "user": user.username, "name": token.name},
    )
    return token, clear


def _by_display_id(db_session: Session, token_id: str) -> ApiToken | None:
    prefix = token_id.removeprefix(f"{TOKEN_TAG}_")
    return db_session.scalars(select(ApiToken).where(ApiToken.prefix == prefix)).one_or_none()


def revoke_token(*, db_session: Session, token_id: str, actor: str) -> ApiToken:
    """Revoke for good (a revoked token is never re-enabled: issue a new one). The caller commits."""
    token = _by_display_id(db_session, token_id)
    if token is None:
        raise UserError(f"没有该令牌：{token_id}", f"No such token: {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(db_session, actor, "change", "api_token", display_id(token), details={"op": "revoke"})
    return token


def list_tokens(*, db_session: Session) -> list[ApiToken]:
    query = select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.id)
    return list(db_session.scalars(query))


def authenticate_token(*, db_session: Session, token: str) -> ApiToken | None:
    """The live token row for this clear token (user active, not revoked), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_TAG or not parts[1] or not parts[2]:
        return None
    query = (
        select(ApiToken)
        .where(ApiToken.prefix == parts[1])
        .options(selectinload(ApiToken.user).selectinload(User.grants))
    )
    row = db_session.scalars(query).one_or_none()
    if row is None or not secrets.compare_digest(row.token_hash, _digest(token)):
        return None
    if row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        db_session.commit()
    return row


# auto_error=False: our own 401 body instead of FastAPI's; the scheme still shows in the OpenAPI document.
_bearer = HTTPBearer(auto_error=False, description="tenderwatch API token: tw_<id>_<secret>")
_MISSING = ("缺少访问令牌（Authorization: Bearer …）", "Missing API token (Authorization: Bearer …)")
_INVALID = ("访问令牌无效或已吊销", "The API token is invalid or revoked")


def require_token(*roles: str) -> Callable[..., TokenPrincipal]:
    """Dependency: the caller's token, whose user must hold one of ``roles`` (401 / 403 otherwise)."""

    def dependency(
        db_session: Annotated[Session, Depends(get_db_session)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> TokenPrincipal:
        if credentials is None or not credentials.credentials.strip():
            raise ApiError(401, "token_missing", *_MISSING)
        row = authenticate_token(db_session=db_session, token=credentials.credentials.strip())
        if row is None:
            raise ApiError(401, "token_invalid", *_INVALID)
        if roles and not has_role(row.user, *roles):
            raise ApiError(
                403,
                "forbidden",
                f"该令牌的用户无权调用此接口（需要角色：{'、'.join(roles)}）",
                f"The token's user may not call this API (role needed: {', '.join(roles)})",
            )
        return TokenPrincipal(display_id(row), row.user)

    return dependency

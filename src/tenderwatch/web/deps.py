"""Request dependencies shared by every router: the database session, the signed-in user, the locale,
role checks and the CSRF token of forms.

Routers declare what they need with the ``Annotated`` aliases at the bottom (``DbSession``,
``CurrentUser``, ``Locale``), so a view's signature says what it depends on.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.models import User
from tenderwatch.db import Database
from tenderwatch.web.i18n import normalise_locale

SESSION_USER = "user_id"
SESSION_LOCALE = "locale"
SESSION_CSRF = "csrf"


class LoginRequired(Exception):
    """Raised when a view needs a signed-in user; pages redirect to the login form, the API says 401."""


class Forbidden(Exception):
    """Raised when the signed-in user lacks the role a view needs."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        super().__init__(", ".join(roles))
        self.roles = roles


class CsrfFailed(Exception):
    """A form came without the token of this session (a cross-site post, or an expired session)."""


def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


def get_db_session(request: Request) -> Iterator[Session]:
    with get_database(request).session() as session:
        yield session


def get_locale(request: Request) -> str:
    default: str = request.app.state.settings.default_locale
    # The last-resort error handler runs outside the session middleware, where there is no session.
    chosen = request.session.get(SESSION_LOCALE) if "session" in request.scope else None
    return normalise_locale(chosen, default=normalise_locale(default))


def get_current_user(
    request: Request, db_session: Annotated[Session, Depends(get_db_session)]
) -> User | None:
    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    user = auth_service.get(db_session=db_session, user_id=user_id)
    if user is None or not user.active:
        # The account was removed or disabled since sign-in: the old cookie must stop working at once.
        request.session.pop(SESSION_USER, None)
        return None
    request.state.user = user
    return user


def require_user(user: Annotated[User | None, Depends(get_current_user)]) -> User:
    if user is None:
        raise LoginRequired()
    return user


def require_role(*roles: str) -> Callable[[User], User]:
    def dependency(user: Annotated[User, Depends(require_user)]) -> User:
        if not auth_service.has_role(user, *roles):
            raise Forbidden(roles)
        return user

    return dependency


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: an open redirect would let a phishing link borrow our login page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def csrf_token(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(SESSION_CSRF)
    if not isinstance(expected, str) or not submitted or not secrets.compare_digest(expected, submitted):
        raise CsrfFailed()


DbSession = Annotated[Session, Depends(get_db_session)]
OptionalUser = Annotated[User | None, Depends(get_current_user)]
CurrentUser = Annotated[User, Depends(require_user)]
Locale = Annotated[str, Depends(get_locale)]

"""Sign-in and sign-out pages."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from tenderwatch.auth import flows
from tenderwatch.db import utcnow
from tenderwatch.web.deps import (
    SESSION_LOCALE,
    SESSION_USER,
    DbSession,
    OptionalUser,
    check_csrf,
    get_locale,
    safe_next,
)
from tenderwatch.web.i18n import N_, translate
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)

ROLE_LABELS = {
    "inspector": N_("Discipline inspector"),
    "regulator": N_("Industry regulator"),
    "reviewer": N_("Reviewer"),
    "data_steward": N_("Data steward"),
    "model_owner": N_("Model owner"),
    "admin": N_("Administrator"),
    "platform": N_("Trading platform"),
}


@router.get("/login", name="login")
def login_form(
    request: Request, user: OptionalUser, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next_path), status_code=303)
    return render(request, "login.html", {"next": safe_next(next_path), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    db_session: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form()] = "",
    next_path: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    check_csrf(request, csrf_token)
    client = request.client.host if request.client else None
    settings = request.app.state.settings
    try:
        user = flows.sign_in(
            db_session=db_session, username=username, password=password, client=client, settings=settings
        )
    except flows.LoginThrottled as exc:
        minutes = max(1, math.ceil((exc.until - utcnow()).total_seconds() / 60))
        zh = get_locale(request).startswith("zh")
        error = (
            f"登录失败次数过多，请{minutes}分钟后再试。"
            if zh
            else f"Too many failed sign-ins. Try again in {minutes} minute(s)."
        )
        context = {"next": safe_next(next_path), "error": error, "username": username}
        response = render(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(minutes * 60)
        return response
    if user is None:
        error = translate(get_locale(request), "Wrong username or password.")
        context = {"next": safe_next(next_path), "error": error, "username": username}
        return render(request, "login.html", context, status_code=401)
    locale = request.session.get(SESSION_LOCALE)
    # A fresh session on sign-in (session fixation); the language chosen before signing in wins over the
    # account's stored one, since the user just picked it.
    request.session.clear()
    request.session[SESSION_USER] = user.id
    if locale or user.locale:
        request.session[SESSION_LOCALE] = locale or user.locale
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    locale = request.session.get(SESSION_LOCALE)
    request.session.clear()
    if locale:
        request.session[SESSION_LOCALE] = locale
    return RedirectResponse("/login", status_code=303)

"""The Jinja environment: autoescaping, the i18n extension bound to the request's locale, and the
context every page gets (user, locale, CSRF token, navigation)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.templating import _TemplateResponse

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.models import User
from tenderwatch.web import i18n
from tenderwatch.web.deps import csrf_token, get_locale

TEMPLATE_DIR = Path(__file__).with_name("templates")
UPLOAD_ROLES = ("data_steward", "admin")
# The nav shows a link only to roles its page lets in (the pages check again).
CREDIT_ROLES = ("regulator", "inspector")
CASE_ROLES = ("inspector", "regulator", "reviewer")
# Warnings, the correlation graph and collision comparison (warning.views.READER_ROLES, the analysts).
ANALYST_ROLES = ("inspector", "regulator", "reviewer", "model_owner")
# 综合态势 is made of warnings and cases: the same analysts, each within their jurisdiction.
SITUATION_ROLES = ANALYST_ROLES
OVERSIGHT_ROLES = ("inspector",)
BROKER_ROLES = ("regulator", "inspector", "admin")
INDUSTRY_ROLES = ("regulator", "inspector", "admin")  # industry.service.ROLES
JOBS_ROLES = ("admin",)


def _format_datetime(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def _format_number(value: int | float | None) -> str:
    return "" if value is None else f"{value:,}"


def _page_context(request: Request) -> dict[str, Any]:
    user: User | None = getattr(request.state, "user", None)
    return {
        "locale": get_locale(request),
        "locale_names": i18n.LOCALE_NAMES,
        "user": user,
        "can_upload": user is not None and auth_service.has_role(user, *UPLOAD_ROLES),
        "can_analyse": user is not None and auth_service.has_role(user, *ANALYST_ROLES),
        "can_situation": user is not None and auth_service.has_role(user, *SITUATION_ROLES),
        "can_cases": user is not None and auth_service.has_role(user, *CASE_ROLES),
        "can_oversight": user is not None and auth_service.has_role(user, *OVERSIGHT_ROLES),
        "can_credit": user is not None and auth_service.has_role(user, *CREDIT_ROLES),
        "can_broker": user is not None and auth_service.has_role(user, *BROKER_ROLES),
        "can_industry": user is not None and auth_service.has_role(user, *INDUSTRY_ROLES),
        "can_jobs": user is not None and auth_service.has_role(user, *JOBS_ROLES),
        "csrf_token": csrf_token(request),
        "path": request.url.path,
        # Where the language switch returns to: this very page, query included.
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }


def _make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the test, not silently blanks
        trim_blocks=True,
        lstrip_blocks=True,
    )
    i18n.install(env)
    env.filters["dt"] = _format_datetime
    env.filters["num"] = _format_number
    return env


templates = Jinja2Templates(env=_make_env(), context_processors=[_page_context])


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> _TemplateResponse:
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def is_htmx(request: Request) -> bool:
    """htmx asks for a fragment (the table) rather than the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"

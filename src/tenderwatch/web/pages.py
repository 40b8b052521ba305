"""Pages that belong to no domain: the home page and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.views import ROLE_LABELS
from tenderwatch.catalog.service import get_catalog
from tenderwatch.web.deps import SESSION_LOCALE, CurrentUser, DbSession, OptionalUser, safe_next
from tenderwatch.web.i18n import LOCALES
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request, user: CurrentUser) -> Response:
    catalog = get_catalog()
    context = {
        "grants": user.grants,
        "role_labels": ROLE_LABELS,
        "industry_labels": catalog.enums["industry"],
        "dataset_count": len(catalog.datasets),
    }
    return render(request, "home.html", context)


@router.get("/lang/{locale}", name="set_language")
def set_language(
    request: Request,
    locale: str,
    db_session: DbSession,
    user: OptionalUser,
    next_path: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    """Switch the UI language; remembered in the session and, when signed in, on the account."""
    if locale in LOCALES:
        request.session[SESSION_LOCALE] = locale
        if user is not None:
            auth_service.set_locale(db_session=db_session, user=user, locale=locale)
            db_session.commit()
    return RedirectResponse(safe_next(next_path), status_code=303)

"""Error handlers. A ``UserError`` is shown as its localised message; anything else is an internal fault:
the full traceback goes to the log under a short reference id, and the user sees only that id."""

from __future__ import annotations

import logging
import uuid
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from tenderwatch.errors import UserError
from tenderwatch.web.deps import CsrfFailed, Forbidden, LoginRequired, get_locale
from tenderwatch.web.i18n import translate
from tenderwatch.web.templating import render

log = logging.getLogger("tenderwatch.web")

API_PREFIX = "/api/"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error(request: Request, status: int, code: str, message: str, reference: str | None = None) -> Response:
    if _wants_json(request):
        body: dict[str, str] = {"code": code, "message": message}
        if reference:
            body["reference"] = reference
        return JSONResponse({"error": body}, status_code=status)
    return render(
        request,
        "error.html",
        {"status": status, "message": message, "reference": reference},
        status_code=status,
    )


async def on_user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UserError)
    return _error(request, 400, "user_error", exc.message(get_locale(request)))


async def on_login_required(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return _error(request, 401, "login_required", translate(get_locale(request), "Please sign in."))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def on_forbidden(request: Request, exc: Exception) -> Response:
    message = translate(get_locale(request), "Your role does not allow this page.")
    return _error(request, 403, "forbidden", message)


async def on_csrf_failed(request: Request, exc: Exception) -> Response:
    message = translate(get_locale(request), "The form has expired. Please reload the page and try again.")
    return _error(request, 400, "csrf_failed", message)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    locale = get_locale(request)
    if exc.status_code == 404:
        message = translate(locale, "Not found.")
    elif exc.status_code == 413:
        message = translate(locale, "The file is too large.")
    else:
        message = translate(locale, "The request could not be handled.")
    return _error(request, exc.status_code, f"http_{exc.status_code}", message)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        return JSONResponse({"error": {"code": "invalid_request", "detail": exc.errors()}}, status_code=422)
    message = translate(get_locale(request), "The request has invalid parameters.")
    return _error(request, 422, "invalid_request", message)


async def on_internal_error(request: Request, exc: Exception) -> Response:
    reference = uuid.uuid4().hex[:12]
    log.error("internal error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    message = translate(get_locale(request), "Something went wrong on our side.")
    try:
        return _error(request, 500, "internal_error", message, reference)
    except Exception:  # the error page itself failed (e.g. a broken template): fall back to plain text
        log.exception("error page failed for %s", reference)
        return Response(f"Internal error. Reference: {reference}", status_code=500, media_type="text/plain")


def install(app: FastAPI) -> None:
    app.add_exception_handler(UserError, on_user_error)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(Forbidden, on_forbidden)
    app.add_exception_handler(CsrfFailed, on_csrf_failed)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_internal_error)

"""The application factory: one FastAPI app with signed-cookie sessions, static files, pages, the JSON
API under ``/api/v1`` and the error handlers.

``uvicorn --factory tenderwatch.web.app:create_app`` works (without the scheduled jobs);
``tenderwatch.web.server.serve`` is what the CLI calls, and the only caller that starts the jobs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from tenderwatch.auth.views import router as auth_router
from tenderwatch.broker.views import api_router as broker_api
from tenderwatch.broker.views import router as broker_pages
from tenderwatch.case.pages import router as case_pages
from tenderwatch.case.performance_views import api_router as case_performance_api
from tenderwatch.case.performance_views import router as case_performance_pages
from tenderwatch.case.views import api_router as case_api
from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.views import api_router as catalog_api
from tenderwatch.catalog.views import router as catalog_pages
from tenderwatch.collision.views import api_router as collision_api
from tenderwatch.collision.views import router as collision_pages
from tenderwatch.complaint.pages import router as complaint_pages
from tenderwatch.complaint.views import api_router as complaint_api
from tenderwatch.config import Settings, get_settings
from tenderwatch.credit.views import api_router as credit_api
from tenderwatch.credit.views import router as credit_pages
from tenderwatch.db import Database
from tenderwatch.graph.views import api_router as graph_api
from tenderwatch.graph.views import router as graph_pages
from tenderwatch.industry.views import api_router as industry_api
from tenderwatch.industry.views import router as industry_pages
from tenderwatch.ingest.views import api_router as ingest_api
from tenderwatch.ingest.views import router as ingest_pages
from tenderwatch.jobs.views import router as jobs_pages
from tenderwatch.lake.warm import WarmLake
from tenderwatch.oversight.views import api_router as oversight_api
from tenderwatch.oversight.views import router as oversight_pages
from tenderwatch.push.realtime import warm_up
from tenderwatch.push.views import api_router as push_api
from tenderwatch.section.views import api_router as section_api
from tenderwatch.section.views import router as section_pages
from tenderwatch.situation.views import api_router as situation_api
from tenderwatch.situation.views import router as situation_pages
from tenderwatch.warning.views import api_router as warning_api
from tenderwatch.warning.views import router as warning_pages
from tenderwatch.web import errors
from tenderwatch.web.pages import router as home_router

STATIC_DIR = Path(__file__).with_name("static")
SESSION_MAX_AGE = 12 * 60 * 60  # a working day: an unattended browser does not stay signed in for weeks

# Scripts only from our own origin (htmx and ECharts are served from /static/vendor); ECharts sets
# inline styles, hence 'unsafe-inline' for styles only.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", _CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def create_app(
    settings: Settings | None = None, *, start_jobs: bool = False, warm_lake: bool = False
) -> FastAPI:
    """``start_jobs``: run the scheduled jobs (``settings.jobs_enabled`` permitting) in a background
    thread for the app's lifetime. ``warm_lake``: load the warm lake of the real-time path
    (``settings.push_warm_lake`` permitting) in a background thread at start, so the first opening does
    not wait for it. Both off by default, so an app built by a test or a second worker starts no threads;
    ``web.server.serve`` and ``serving_app`` turn them on."""
    settings = settings or get_settings()
    settings.check_production()
    database = Database(settings)
    lake = (
        WarmLake(get_catalog(), settings.duckdb_memory_limit, settings.duckdb_threads)
        if settings.push_warm_lake
        else None
    )

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        scheduler = None
        if warm_lake and lake is not None:
            threading.Thread(target=warm_up, args=(database, lake), name="warm-lake", daemon=True).start()
        if start_jobs and settings.jobs_enabled:
            from tenderwatch.jobs.scheduler import start

            scheduler = app_.state.scheduler = start(database)
        try:
            yield
        finally:
            if scheduler is not None:
                # Waits for a running job to record its end; in a thread, so the event loop is not held.
                await asyncio.to_thread(scheduler.shutdown)
                app_.state.scheduler = None
            if lake is not None:
                lake.close()
            database.dispose()

    app = FastAPI(
        title="tenderwatch",
        summary="招投标智慧监管监督系统 — big-data supervision of public bidding",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.warm_lake = lake
    app.state.scheduler = None

    app.middleware("http")(_security_headers)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="tenderwatch_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.production,
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    for router in (
        home_router,
        auth_router,
        catalog_pages,
        ingest_pages,
        warning_pages,
        graph_pages,
        collision_pages,
        section_pages,
        broker_pages,
        credit_pages,
        case_performance_pages,  # before case_pages: /cases/performance is not a case id
        case_pages,
        complaint_pages,
        oversight_pages,
        industry_pages,
        jobs_pages,
        situation_pages,
    ):
        app.include_router(router)
    app.include_router(catalog_api, prefix="/api/v1")
    app.include_router(ingest_api, prefix="/api/v1")
    app.include_router(warning_api, prefix="/api/v1")
    app.include_router(graph_api, prefix="/api/v1")
    app.include_router(collision_api, prefix="/api/v1")
    app.include_router(section_api, prefix="/api/v1")
    app.include_router(broker_api, prefix="/api/v1")
    app.include_router(credit_api, prefix="/api/v1")
    app.include_router(case_performance_api, prefix="/api/v1")  # before case_api, as above
    app.include_router(case_api, prefix="/api/v1")
    app.include_router(complaint_api, prefix="/api/v1")
    app.include_router(oversight_api, prefix="/api/v1")
    app.include_router(industry_api, prefix="/api/v1")
    app.include_router(push_api, prefix="/api/v1")
    app.include_router(situation_api, prefix="/api/v1")
    errors.install(app)
    return app


def serving_app() -> FastAPI:
    """The serving process's app for ``uvicorn --factory`` (settings from the environment)."""
    return create_app(start_jobs=True, warm_lake=True)

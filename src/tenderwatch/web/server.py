"""Running the web app under uvicorn (called by ``tenderwatch serve`` and ``tenderwatch demo``)."""

from __future__ import annotations

import logging

import uvicorn

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.web.app import create_app


def _log_to_file(settings: Settings) -> None:
    """Tracebacks of internal errors go to ``<data_dir>/logs/web.log``; users only see a reference."""
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(settings.log_dir / "web.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("tenderwatch")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Bring the database to the current schema, then serve until interrupted, with the scheduled jobs
    running in the background unless ``TENDERWATCH_JOBS_ENABLED=false``."""
    database = Database(settings)
    database.upgrade()
    database.dispose()
    _log_to_file(settings)
    uvicorn.run(
        create_app(settings, start_jobs=True, warm_lake=True),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
    )

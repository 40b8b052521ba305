"""The jobs page (/jobs), for the system administrator: each job's schedule, next and last run, and the
latest runs with their summaries and errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tenderwatch.auth.models import User
from tenderwatch.config import Settings
from tenderwatch.jobs import service
from tenderwatch.web.deps import DbSession, require_role
from tenderwatch.web.i18n import N_
from tenderwatch.web.templating import render

ROLE = "admin"  # running the platform is the administrator's job (DESIGN.md: users, roles, settings)
router = APIRouter(include_in_schema=False)
Admin = Annotated[User, Depends(require_role(ROLE))]
STATUS_LABELS = {
    "running": N_("Running"),
    "ok": N_("Succeeded"),
    "failed": N_("Failed"),
    "skipped": N_("Skipped"),
}


@router.get("/jobs")
def jobs_page(request: Request, db_session: DbSession, _user: Admin) -> Response:
    settings: Settings = request.app.state.settings
    context = {
        "jobs": service.statuses(db_session=db_session, settings=settings),
        "runs": service.recent_runs(db_session=db_session),
        "status_labels": STATUS_LABELS,
        "local": lambda at: service.local_time(settings, at),
        "timezone": settings.jobs_timezone,
        "scheduler_running": getattr(request.app.state, "scheduler", None) is not None,
    }
    return render(request, "jobs/index.html", context)

"""Case performance (page and API) and a case's timeline as a download.

Registered before the case pages (web/app.py) so ``/cases/performance`` is not read as a case id.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case import metrics, service
from tenderwatch.case.models import Case
from tenderwatch.case.pages import EVENT_LABELS, GRADE_LABELS, OUTCOME_LABELS, STATE_LABELS
from tenderwatch.errors import UserError
from tenderwatch.web.deps import DbSession, Locale, require_role
from tenderwatch.web.i18n import translate
from tenderwatch.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/cases", tags=["cases"])
Member = Annotated[User, Depends(require_role(*service.WATCHERS))]


def _groups(db_session: Session, user: User, since: date | None, until: date | None) -> list[metrics.Group]:
    if since and until and since > until:
        raise UserError("起始日期晚于截止日期", "The start date is after the end date")
    # Filtered in SQL by the same jurisdiction rule as the case list; events in one extra query.
    cases = db_session.scalars(
        select(Case).where(service.visible(user)).options(selectinload(Case.events)).order_by(Case.id)
    )
    return metrics.performance(cases, since, until)


@api_router.get("/performance")
def performance_json(
    db_session: DbSession, user: Member, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """各部门各等级办理绩效 / Performance per department and grade (working days, on-time rate, outcomes)."""
    groups = _groups(db_session, user, since, until)
    return {"since": since, "until": until, "groups": [g.as_dict() for g in groups]}


@router.get("/cases/performance")
def performance_page(
    request: Request,
    db_session: DbSession,
    user: Member,
    since: date | None = None,
    until: date | None = None,
) -> Response:
    groups = [g.as_dict() for g in _groups(db_session, user, since, until)]
    context = {
        "groups": groups,
        "since": since,
        "until": until,
        "outcome_labels": OUTCOME_LABELS,
        "grade_labels": GRADE_LABELS,
    }
    return render(request, "case/performance.html", context)


_HEADER = {
    "zh": ["时间(UTC)", "操作人", "操作", "原状态", "新状态", "说明"],
    "en": ["at (UTC)", "actor", "action", "from", "to", "detail"],
}


def _event_label(kind: str, lang: str) -> str:
    label = EVENT_LABELS.get(kind)
    return (label[0] if lang == "zh" else label[1]) if label else kind


@router.get("/cases/{case_id}/timeline.csv")
def timeline_csv(case_id: int, db_session: DbSession, user: Member, locale: Locale) -> Response:
    """The case's whole history as CSV (UTF-8 with BOM, so Excel opens the Chinese correctly)."""
    try:
        case = service.get_case(db_session=db_session, case_id=case_id, user=user)
    except UserError:
        raise HTTPException(status_code=404) from None
    lang = "zh" if locale.startswith("zh") else "en"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_HEADER[lang])

    def state(key: str | None) -> str:
        return translate(locale, STATE_LABELS[key]) if key in STATE_LABELS else (key or "")

    for e in case.events:
        # Notes stay out: they may name people, and the download is for the sequence of steps.
        detail = "; ".join(f"{k}={v}" for k, v in sorted(e.detail.items()) if k != "notes")
        writer.writerow(
            [
                e.at.isoformat(timespec="seconds"),
                e.actor,
                _event_label(e.kind, lang),
                state(e.from_state),
                state(e.to_state),
                detail,
            ]
        )
    audit(db_session, user.username, "export", "case", str(case.id), {"format": "csv", "what": "timeline"})
    db_session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="case-{case.id}-timeline.csv"'},
    )

"""Plain reads of pushed events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenderwatch.ingest.models import Batch
from tenderwatch.push.models import PushEvent


def get_by_event_ids(*, db_session: Session, source: str, event_ids: list[str]) -> dict[str, PushEvent]:
    found: dict[str, PushEvent] = {}
    unique = sorted(set(event_ids))
    for start in range(0, len(unique), 500):  # databases cap the number of bound parameters
        query = select(PushEvent).where(
            PushEvent.source == source, PushEvent.event_id.in_(unique[start : start + 500])
        )
        found.update({e.event_id: e for e in db_session.scalars(query)})
    return found


def first_award_at(*, db_session: Session, section_code: str) -> datetime | None:
    """When an award of the section was first accepted through the push API."""
    query = select(func.min(PushEvent.received_at)).where(
        PushEvent.section_code == section_code, PushEvent.type == "award", PushEvent.status == "accepted"
    )
    value: datetime | None = db_session.scalar(query)
    return value


def lake_paths(*, db_session: Session) -> set[str]:
    """Every lake folder a batch row names, whatever the batch's status."""
    return {str(p) for p in db_session.scalars(select(Batch.lake_path).where(Batch.lake_path.is_not(None)))}

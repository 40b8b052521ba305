"""Request and response bodies of the push API and of award clearance."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tenderwatch.push.events import EventType

MAX_EVENTS = 1000  # per request: large enough for a busy platform's second, small enough to answer fast


class EventIn(BaseModel):
    """One event. ``payload`` holds the fields of the kind's catalogue dataset (docs/push.md)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(
        min_length=1, max_length=128, description="The platform's id, unique per token owner."
    )
    type: EventType = Field(description="Event kind (docs/push.md lists the ten and their datasets).")
    occurred_at: datetime = Field(description="When it happened at the platform (local time, no zone).")
    payload: dict[str, Any] = Field(description="The dataset's fields; nested datasets under their id.")


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Plain objects, each checked against EventIn on its own: one malformed event is rejected with its
    # reason instead of failing the whole request. The OpenAPI document still shows EventIn's shape, so a
    # platform's client generator knows what to send.
    events: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_EVENTS,
        description="EventIn objects.",
        json_schema_extra={"items": EventIn.model_json_schema()},
    )


class ProblemOut(BaseModel):
    field: str
    code: str
    zh: str
    en: str
    dataset: str | None = None


class WarningOut(BaseModel):
    id: int
    grade: str
    status: str
    section_code: str | None
    models: list[str]
    case_id: int | None = None


class EventResult(BaseModel):
    event_id: str
    status: Literal["accepted", "rejected", "duplicate"]
    outcome: Literal["accepted", "rejected"] = Field(description="For duplicates: the original outcome.")
    problems: list[ProblemOut] = []


class PushResponse(BaseModel):
    received: int
    accepted: int
    rejected: int
    duplicates: int
    results: list[EventResult]
    opened_sections: list[str] = Field(description="Sections whose per-section models ran for this request.")
    warnings: list[WarningOut] = Field(description="Warnings raised or updated on those sections.")
    detect_seconds: float | None = None


class HoldReason(BaseModel):
    code: str
    zh: str
    en: str
    warning_id: int | None = None
    case_id: int | None = None
    case_state: str | None = None


class ClearanceOut(BaseModel):
    section_code: str
    clear: bool
    reasons: list[HoldReason]
    warnings: list[WarningOut]
    checked_at: datetime

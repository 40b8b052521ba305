"""Pydantic shapes of the broker API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class IdentifierOut(BaseModel):
    kind: str
    value: str
    added_by: str
    added_at: datetime

    model_config = {"from_attributes": True}


class EntrySummary(BaseModel):
    id: int
    display_name: str
    source: str
    status: str
    reason: str
    warning_ids: list[int]
    merged_into_id: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    model_config = {"from_attributes": True}


class JudgementOut(BaseModel):
    id: int
    entry_id: int
    other_entry_id: int | None
    verdict: str
    note: str
    actor: str
    at: datetime

    model_config = {"from_attributes": True}


class EventOut(BaseModel):
    entry_id: int
    kind: str
    actor: str
    detail: dict[str, Any]
    at: datetime

    model_config = {"from_attributes": True}


class EntryDetail(EntrySummary):
    hit_ids: list[int]
    identifiers: list[IdentifierOut]
    merged_entry_ids: list[int]
    judgements: list[JudgementOut]
    events: list[EventOut]


class EntryList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EntrySummary]


class ManualEntryIn(BaseModel):
    display_name: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    id_numbers: list[str] = Field(default_factory=list, max_length=20)
    phones: list[str] = Field(default_factory=list, max_length=20)
    accounts: list[str] = Field(default_factory=list, max_length=20)
    names: list[str] = Field(default_factory=list, max_length=20)


class JudgementIn(BaseModel):
    verdict: str = Field(pattern="^(same|not_same|unsure)$")
    note: str = Field(default="", max_length=2000)
    other_entry_id: int | None = None


class ScreenBidIn(BaseModel):
    persons: list[str] = Field(default_factory=list, max_length=200)
    phones: list[str] = Field(default_factory=list, max_length=200)
    accounts: list[str] = Field(default_factory=list, max_length=200)
    names: list[str] = Field(default_factory=list, max_length=200)


class MatchOut(BaseModel):
    entry_id: int
    entry_name: str
    entry_status: str
    field: str
    value: str
    register_value: str
    rule: str
    score: float
    strong: bool
    reason_zh: str
    reason_en: str


class ScreenLakeIn(BaseModel):
    since: date
    limit: int = Field(default=1000, ge=1, le=100_000)


class BidMatchOut(BaseModel):
    section_code: str
    bidder_uscc: str
    dataset: str
    record_key: str
    field: str
    value: str
    entry_id: int
    entry_name: str
    entry_status: str
    rule: str
    score: float
    strong: bool
    reason_zh: str
    reason_en: str


class ScreenLakeOut(BaseModel):
    total: int
    items: list[BidMatchOut]


class CollectOut(BaseModel):
    created: int
    updated: int
    unchanged: int

"""API bodies of the credit gate and the subject view."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["register", "buy_documents", "submit_bid"]


class GateRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    subject_type: Literal["company", "person"]
    subject_id: str = Field(max_length=32, description="USCC (company) or citizen ID number (person)")
    action: Action
    region: str = Field(max_length=6, description="6-digit region code of the project (GB/T 2260)")
    industry: str = Field(max_length=32, description="catalogue industry: building, transport, water, …")
    on: date | None = Field(default=None, alias="date", description="the day asked about; default today")


class ReasonOut(BaseModel):
    code: str
    zh: str
    en: str
    source: str
    until: date | None


class GateResponse(BaseModel):
    decision: Literal["allowed", "blocked"]
    subject_id: str
    reasons: list[ReasonOut]
    checked_at: datetime


class RecordOut(BaseModel):
    source: str
    kind: str
    reason: str
    industry: str | None
    region_code: str | None
    decision_no: str | None
    issuer: str | None
    decided_on: date
    published_until: date | None
    serious: bool
    # For a serious record: the decision numbers of the earlier findings that made it serious.
    prior_decisions: list[str] = []


class EntryOut(BaseModel):
    source: str
    status: str
    restricted_actions: list[str]
    scope_region: str
    industries: list[str]
    start_date: date
    end_date: date | None
    reason: str
    legal_basis: str | None
    decision_no: str | None
    # Why a proposal was rejected or an entry revoked, with the document number of a revocation.
    withdrawn: str | None = None


class ScoreItemOut(BaseModel):
    source: str
    kind: str
    decided_on: date
    points: float


class ScoreOut(BaseModel):
    industry: str
    value: float
    grade: str
    items: list[ScoreItemOut]


class SubjectOut(BaseModel):
    subject_type: str
    subject_id: str
    as_of: date
    records: list[RecordOut]
    scores: list[ScoreOut]
    blacklist: list[EntryOut]

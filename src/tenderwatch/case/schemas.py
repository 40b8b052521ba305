"""Pydantic shapes of the case API and of a conclusion (处置结论)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tenderwatch.guides.schema import OutcomeKey

Answer = Literal["pass", "fail", "not_applicable"]


class Subject(BaseModel):
    """A subject named in the administrative decision (one credit record each)."""

    subject_type: Literal["company", "person"] = "company"
    subject_id: str
    name: str | None = None
    kind: str = "collusion"


class ConclusionIn(BaseModel):
    outcome: OutcomeKey
    notes: str = ""
    benign_id: str | None = None  # 查否: which of the guide's benign explanations holds
    evidence_ids: list[int] = Field(default_factory=list)  # attachments proving the conclusion
    reason: str | None = None  # 无法核实: why
    recipient: str | None = None  # 移送: the receiving body
    decision_no: str | None = None  # 查实: the administrative decision's number
    decision_attachment_id: int | None = None
    decided_on: date | None = None
    issuer: str | None = None
    subjects: list[Subject] = Field(default_factory=list)


class AnswerIn(BaseModel):
    version: int
    model_id: str
    item_id: str
    answer: Answer
    notes: str = ""
    attachment_ids: list[int] = Field(default_factory=list)


class TransitionIn(BaseModel):
    version: int
    action: str
    reason: str = ""
    recipient: str | None = None
    into_case_id: int | None = None


class SubmitIn(BaseModel):
    version: int
    conclusion: ConclusionIn


class ReviewIn(BaseModel):
    version: int
    decision: Literal["approve", "return"]
    reason: str = ""


class ChecklistItemOut(BaseModel):
    model_id: str
    item_id: str
    check_zh: str
    check_en: str
    method_zh: str
    method_en: str
    evidence_required: bool
    answer: Answer | None = None
    notes: str = ""
    attachment_ids: list[int] = Field(default_factory=list)


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    from_state: str | None
    to_state: str | None
    actor: str
    detail: dict[str, Any]
    at: datetime


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    warning_id: int | None
    complaint_id: int | None = None
    state: str
    grade: str
    industry: str
    department_code: str
    region_prefix: str
    level: str
    handler: str | None
    accept_due: date | None
    due_date: date
    due_provisional: bool
    overdue: bool
    supervised_by: str | None
    recipient: str | None
    merged_into: int | None
    conclusion: dict[str, Any] | None
    version: int


class CaseDetail(CaseOut):
    allowed: list[str] = Field(default_factory=list)
    checklist: list[ChecklistItemOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)


class CaseList(BaseModel):
    total: int
    items: list[CaseOut]
    unread: int


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    sha256: str
    size: int

"""What the API and pages exchange. Public views never carry handler names, internal notes or identity."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

HIDDEN = "(hidden)"


class ComplaintIn(BaseModel):
    kind: str = Field(pattern="^(complaint|report)$")  # 投诉 | 举报
    section_code: str | None = Field(default=None, max_length=64)
    project_text: str | None = Field(default=None, max_length=200)
    region_code: str = Field(pattern=r"^\d{6}$")
    industry: str = Field(max_length=32)
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20000)
    anonymous: bool = False
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=18)
    consent: bool = False


class Filed(BaseModel):
    receipt_code: str  # shown once; only its HMAC is stored
    complaint_id: int
    case_id: int
    decision_due: date


class TimelineEntry(BaseModel):
    at: datetime
    state_zh: str
    state_en: str


class AnswerOut(BaseModel):
    text: str
    answered_at: datetime
    attachment: str | None = None  # file name


class AddendumOut(BaseModel):
    text: str
    written_at: datetime


class Tracked(BaseModel):
    """What the complainant sees with the receipt code: no actor names, no internal notes."""

    kind: str
    subject: str
    filed_at: datetime
    decision_due: date | None
    state_zh: str
    state_en: str
    timeline: list[TimelineEntry]
    answer: AnswerOut | None
    addenda: list[AddendumOut]


class Identity(BaseModel):
    name: str
    phone: str
    id_number: str | None


class AttachmentOut(BaseModel):
    id: int
    part: str
    filename: str
    content_type: str
    sha256: str
    size: int


class ComplaintDetail(BaseModel):
    """The staff view; ``identity`` is HIDDEN unless the reader is the case's handler."""

    id: int
    kind: str
    case_id: int | None
    state: str | None
    handler: str | None
    department_code: str | None
    section_code: str | None
    project_text: str | None
    region_code: str
    industry: str
    subject: str
    description: str
    anonymous: bool
    identity: Identity | str | None  # None: anonymous report; HIDDEN: not yours to see
    attachments: list[AttachmentOut]
    answer: AnswerOut | None
    addenda: list[AddendumOut]
    filed_at: datetime
    decision_due: date | None


class AnswerIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


class AddendumIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)

"""ORM: register entries, their identifiers, judgements (append-only) and events.

Nothing here is ever deleted or edited in place except two cached columns on the entry (``status``,
``merged_into_id``), which are recomputed from the judgement history after every judgement, so the
history alone decides the state and a later judgement reverses an earlier one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenderwatch.db import Base, utcnow

SOURCES = ("c18", "manual")
VERDICTS = ("same", "not_same", "unsure")
# Entry status, derived from the latest judgement of the entry itself (not of a pair).
STATUSES = ("candidate", "confirmed", "rejected", "unsure")
IDENTIFIER_KINDS = ("id_number", "phone", "account", "name")


class BrokerEntry(Base):
    __tablename__ = "broker_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    display_name: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # c18 | manual
    # For C18 candidates "C18|<subject id>": one entry per person however often the model runs.
    source_key: Mapped[str | None] = mapped_column(String(96), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    warning_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    hit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="candidate", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("broker_entry.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    identifiers: Mapped[list[BrokerIdentifier]] = relationship(
        back_populates="entry", order_by="BrokerIdentifier.id"
    )


class BrokerIdentifier(Base):
    __tablename__ = "broker_identifier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("broker_entry.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # id_number | phone | account | name
    value: Mapped[str] = mapped_column(String(64), index=True)  # canonical form, what matching uses
    raw: Mapped[str] = mapped_column(String(128))  # as entered or found
    added_by: Mapped[str] = mapped_column(String(64), default="system")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[BrokerEntry] = relationship(back_populates="identifiers")

    __table_args__ = (UniqueConstraint("entry_id", "kind", "value"),)


class BrokerJudgement(Base):
    """A person's judgement. ``other_entry_id`` empty: is this entry one real person acting as a broker?
    Set: are the two entries the same person (``same`` merges them, a later other verdict splits them)."""

    __tablename__ = "broker_judgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("broker_entry.id"), index=True)
    other_entry_id: Mapped[int | None] = mapped_column(ForeignKey("broker_entry.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # same | not_same | unsure
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class BrokerEvent(Base):
    __tablename__ = "broker_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("broker_entry.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # created | judged | merged | split | identifier_added
    actor: Mapped[str] = mapped_column(String(64), default="system")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

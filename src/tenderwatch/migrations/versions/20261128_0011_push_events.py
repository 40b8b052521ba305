"""push events: each pushed event once per (source, event id), with the hash of its body and its outcome

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 14:30:00

Makes the push API idempotent: a repeat with the same body answers the stored outcome.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "push_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("section_code", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("batch_ids", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_event")),
        sa.UniqueConstraint("source", "event_id", name=op.f("uq_push_event_source_event_id")),
    )
    with op.batch_alter_table("push_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_push_event_type"), ["type"], unique=False)
        batch_op.create_index(batch_op.f("ix_push_event_section_code"), ["section_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_push_event_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_table("push_event")

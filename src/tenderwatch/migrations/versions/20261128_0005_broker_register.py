"""broker register (黄牛库): entries, identifiers, judgements, events

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 12:10:00

Judgements and events are append-only by convention; an entry's status and merge are recomputed from
its judgements.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broker_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_key", sa.String(length=96), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("warning_ids", sa.JSON(), nullable=False),
        sa.Column("hit_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["broker_entry.id"], name=op.f("fk_broker_entry_merged_into_id_broker_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broker_entry")),
        sa.UniqueConstraint("source_key", name=op.f("uq_broker_entry_source_key")),
    )
    with op.batch_alter_table("broker_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broker_entry_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_broker_entry_status"), ["status"], unique=False)

    op.create_table(
        "broker_identifier",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("raw", sa.String(length=128), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["broker_entry.id"], name=op.f("fk_broker_identifier_entry_id_broker_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broker_identifier")),
        sa.UniqueConstraint(
            "entry_id", "kind", "value", name=op.f("uq_broker_identifier_entry_id_kind_value")
        ),
    )
    with op.batch_alter_table("broker_identifier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broker_identifier_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_broker_identifier_value"), ["value"], unique=False)

    op.create_table(
        "broker_judgement",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("other_entry_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["broker_entry.id"], name=op.f("fk_broker_judgement_entry_id_broker_entry")
        ),
        sa.ForeignKeyConstraint(
            ["other_entry_id"],
            ["broker_entry.id"],
            name=op.f("fk_broker_judgement_other_entry_id_broker_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broker_judgement")),
    )
    with op.batch_alter_table("broker_judgement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broker_judgement_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_broker_judgement_other_entry_id"), ["other_entry_id"], unique=False
        )

    op.create_table(
        "broker_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["broker_entry.id"], name=op.f("fk_broker_event_entry_id_broker_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broker_event")),
    )
    with op.batch_alter_table("broker_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broker_event_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_table("broker_event")
    op.drop_table("broker_judgement")
    op.drop_table("broker_identifier")
    op.drop_table("broker_entry")

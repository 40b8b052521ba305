"""case lifecycle: departments, cases, events, checklist answers, attachments, notifications

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 12:30:00

One case per warning; ``case_case.version`` is the optimistic-concurrency counter.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_department",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=128), nullable=False),
        sa.Column("name_en", sa.String(length=128), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_department")),
        sa.UniqueConstraint("code", name=op.f("uq_case_department_code")),
    )
    with op.batch_alter_table("case_department", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_department_region_code"), ["region_code"], unique=False)
    op.create_table(
        "case_case",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("handler", sa.String(length=64), nullable=True),
        sa.Column("accept_due", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("supervised_by", sa.String(length=32), nullable=True),
        sa.Column("conclusion", sa.JSON(), nullable=True),
        sa.Column("recipient", sa.String(length=128), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["case_case.id"], name=op.f("fk_case_case_merged_into_case_case")
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warning.id"], name=op.f("fk_case_case_warning_id_warning"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_case")),
        sa.UniqueConstraint("warning_id", name=op.f("uq_case_case_warning_id")),
    )
    with op.batch_alter_table("case_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_case_department_code"), ["department_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_case_overdue"), ["overdue"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_case_region_prefix"), ["region_prefix"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_case_state"), ["state"], unique=False)
    op.create_table(
        "case_answer",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=8), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("attachment_ids", sa.JSON(), nullable=False),
        sa.Column("answered_by", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_case.id"], name=op.f("fk_case_answer_case_id_case_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_answer")),
        sa.UniqueConstraint(
            "case_id", "model_id", "item_id", name=op.f("uq_case_answer_case_id_model_id_item_id")
        ),
    )
    with op.batch_alter_table("case_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_answer_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_attachment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_case.id"],
            name=op.f("fk_case_attachment_case_id_case_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachment")),
    )
    with op.batch_alter_table("case_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_attachment_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_case.id"], name=op.f("fk_case_event_case_id_case_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_notification",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("email_to", sa.String(length=128), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.Column("pushed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_case.id"],
            name=op.f("fk_case_notification_case_id_case_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notification")),
    )
    with op.batch_alter_table("case_notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notification_username"), ["username"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notification_username"))
    op.drop_table("case_notification")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))
    op.drop_table("case_event")
    with op.batch_alter_table("case_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_attachment_case_id"))
    op.drop_table("case_attachment")
    with op.batch_alter_table("case_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_answer_case_id"))
    op.drop_table("case_answer")
    with op.batch_alter_table("case_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_case_state"))
        batch_op.drop_index(batch_op.f("ix_case_case_region_prefix"))
        batch_op.drop_index(batch_op.f("ix_case_case_overdue"))
        batch_op.drop_index(batch_op.f("ix_case_case_department_code"))
    op.drop_table("case_case")
    with op.batch_alter_table("case_department", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_department_region_code"))
    op.drop_table("case_department")

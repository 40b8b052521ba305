"""warning raised index: the overall-situation screen counts warnings by when they were first raised

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 15:50:00

Without it every 综合态势 snapshot scanned the whole warning table for "raised today / this month".
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_first_raised_at"), ["first_raised_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_first_raised_at"))

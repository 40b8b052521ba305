"""login throttle: sign-in attempts per typed username and client address

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 12:45:00

Kept in the database so every server process sees the same counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_login_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_login_attempt")),
    )
    with op.batch_alter_table("auth_login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_login_attempt_username"), ["username"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_login_attempt_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_login_attempt_at"), ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("auth_login_attempt")

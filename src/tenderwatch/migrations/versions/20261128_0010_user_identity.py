"""user identity: the ID number behind an account, for the conflict-of-interest check

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 14:40:00

Replaces the administrator-kept ``<data_dir>/oversight/identities.yaml``: the link user → person now lives
with the account, changes through ``tenderwatch users identity`` and is audited like every change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_identity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["auth_user.id"], name=op.f("fk_auth_identity_user_id_auth_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_identity")),
        sa.UniqueConstraint("user_id", "id_number", name=op.f("uq_auth_identity_user_id_id_number")),
    )
    with op.batch_alter_table("auth_identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_identity_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_identity_id_number"), ["id_number"], unique=False)


def downgrade() -> None:
    op.drop_table("auth_identity")

"""credit records, blacklist, credit events; API tokens of machine users

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:00:00

Credit scores are computed from the records, so they have no table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_api_token",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["auth_user.id"],
            name=op.f("fk_auth_api_token_user_id_auth_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_api_token")),
        sa.UniqueConstraint("prefix", name=op.f("uq_auth_api_token_prefix")),
    )
    with op.batch_alter_table("auth_api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "credit_record",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("subject_name", sa.String(length=256), nullable=True),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=True),
        sa.Column("decision_no", sa.String(length=128), nullable=False),
        sa.Column("decision_sha256", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=256), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("published_until", sa.Date(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["warning.id"],
            name=op.f("fk_credit_record_warning_id_warning"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_record")),
    )
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_record_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "credit_blacklist",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("subject_name", sa.String(length=256), nullable=True),
        sa.Column("restricted_actions", sa.JSON(), nullable=False),
        sa.Column("scope_region", sa.String(length=6), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision_no", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("min_months", sa.Integer(), nullable=True),
        sa.Column("max_months", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_credit_blacklist_record_id_credit_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_blacklist")),
    )
    with op.batch_alter_table("credit_blacklist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_blacklist_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "credit_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("blacklist_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blacklist_id"],
            ["credit_blacklist.id"],
            name=op.f("fk_credit_event_blacklist_id_credit_blacklist"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_credit_event_record_id_credit_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_event")),
    )
    with op.batch_alter_table("credit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_event_subject_id"), ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_event_subject_id"))
    op.drop_table("credit_event")
    with op.batch_alter_table("credit_blacklist", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_blacklist_subject_id"))
    op.drop_table("credit_blacklist")
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_record_subject_id"))
    op.drop_table("credit_record")
    with op.batch_alter_table("auth_api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_api_token_user_id"))
    op.drop_table("auth_api_token")

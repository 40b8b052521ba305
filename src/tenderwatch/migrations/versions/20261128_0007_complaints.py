"""complaints: complaint, identity, attachments, answer, addenda; cases may come from a complaint

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 12:40:00

``case_case.warning_id`` becomes nullable and ``case_case.complaint_id`` is added (a case comes from one
or the other). Triggers refuse any UPDATE or DELETE of an answer or addendum, on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARDED = ("complaint_answer", "complaint_addendum")
MESSAGE = "complaint answers are immutable"


def upgrade() -> None:
    with op.batch_alter_table("case_case", schema=None) as batch_op:
        batch_op.alter_column("warning_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_case_case_complaint_id"), ["complaint_id"])
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("section_code", sa.String(length=64), nullable=True),
        sa.Column("project_text", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("filed_from", sa.String(length=64), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_case.id"], name=op.f("fk_complaint_case_id_case_case"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_complaint_receipt_hash")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_filed_from"), ["filed_from"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_filed_at"), ["filed_at"], unique=False)
    op.create_table(
        "complaint_identity",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_identity_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_complaint_identity")),
    )
    op.create_table(
        "complaint_attachment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_attachment_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachment")),
    )
    with op.batch_alter_table("complaint_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_attachment_complaint_id"), ["complaint_id"], unique=False
        )
    op.create_table(
        "complaint_answer",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["complaint_attachment.id"],
            name=op.f("fk_complaint_answer_attachment_id_complaint_attachment"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_complaint_answer_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_answer")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_complaint_answer_complaint_id")),
    )
    op.create_table(
        "complaint_addendum",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=64), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_complaint_addendum_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_addendum")),
    )
    with op.batch_alter_table("complaint_addendum", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_addendum_complaint_id"), ["complaint_id"], unique=False
        )
    _create_guards()


def _create_guards() -> None:
    # Why in the database too: the mapper events only stop the ORM; a raw UPDATE must fail as well.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION complaint_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        for table in GUARDED:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION complaint_immutable()"
            )
        return
    for table in GUARDED:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        op.execute("DROP FUNCTION IF EXISTS complaint_immutable()")
    for table in ("complaint_addendum", "complaint_answer", "complaint_attachment", "complaint_identity"):
        op.drop_table(table)
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_filed_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_filed_from"))
        batch_op.drop_index(batch_op.f("ix_complaint_case_id"))
    op.drop_table("complaint")
    with op.batch_alter_table("case_case", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_case_case_complaint_id"), type_="unique")
        batch_op.drop_column("complaint_id")
        batch_op.alter_column("warning_id", existing_type=sa.Integer(), nullable=False)

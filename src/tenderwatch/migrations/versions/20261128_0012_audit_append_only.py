"""audit append-only: the database refuses UPDATE and DELETE on the log, checkpoints and cosignatures

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 14:50:00

The hash chain and the signed checkpoints *detect* a rewritten history; these triggers *prevent* it for
every connection that cannot drop them (the application's own, an operator's SQL console). Someone who
owns the schema can still drop them, which is why verification stays the proof. ``audit_head`` (bumped on
every append) and ``audit_personal`` (erasable by design) are not guarded.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARDED = ("audit_event", "audit_checkpoint", "audit_cosignature")
MESSAGE = "audit trail is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        for table in GUARDED:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
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
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
        return
    for table in GUARDED:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")

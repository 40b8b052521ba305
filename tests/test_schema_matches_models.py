"""The migrations build exactly the schema the ORM models declare, on both backends.

Each domain ships its own hand-reviewed migration; a column added to a model but forgotten in its
migration (or the reverse) would only surface as a failure in production. Alembic's autogenerate
comparison finds any difference between the migrated database and ``Base.metadata``.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tenderwatch import models_registry  # noqa: F401 - every ORM module, so the metadata is complete
from tenderwatch.db import Base, Database


def test_migrated_schema_equals_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []

"""Alembic environment: uses the engine handed over by ``runner`` or builds one from the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import tenderwatch.models_registry  # noqa: F401  (imports every ORM module so metadata is complete)
from tenderwatch.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = engine_from_config(
            config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
        )
    with engine.connect() as connection:
        # render_as_batch: SQLite cannot ALTER most things; batch mode recreates the table instead.
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()

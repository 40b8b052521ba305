"""What every command group needs: the migrated application database and who is acting."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from tenderwatch.config import get_settings
from tenderwatch.db import Database


def open_database() -> Database:
    """The configured database, migrated to the latest schema (commands never run on an old one)."""
    database = Database(get_settings())
    database.upgrade()
    return database


def cli_actor() -> str:
    """The operator's OS account: the best identity a command run on the server has."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


@contextmanager
def cli_transaction() -> Iterator[Session]:
    """One transaction on the migrated database, committed when the block ends; the engine is disposed
    either way, so a command leaves no connection behind."""
    database = open_database()
    try:
        with database.transaction() as session:
            yield session
    finally:
        database.dispose()

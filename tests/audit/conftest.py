"""Audit fixtures: the real `tenderwatch audit` command pointed at the test database, and a filled log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tenderwatch.audit.service import record
from tenderwatch.auth.service import create_user
from tenderwatch.cli import app
from tenderwatch.config import Settings, get_settings
from tenderwatch.db import Database


@dataclass
class Run:
    code: int
    output: str
    exception: BaseException | None


Cli = Callable[..., Run]


@pytest.fixture
def cli(settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """Invoke `tenderwatch audit …` against the same database and data dir as ``db``."""
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("TENDERWATCH_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("TENDERWATCH_DATABASE_URL", raising=False)
    get_settings.cache_clear()

    def invoke(*args: str) -> Run:
        result = CliRunner().invoke(app, ["audit", *args])
        exc = result.exception if not isinstance(result.exception, SystemExit) else None
        return Run(result.exit_code, result.output, exc)

    yield invoke
    get_settings.cache_clear()


def fill(db: Database, count: int, start: int = 0) -> None:
    with db.transaction() as session:
        for i in range(start, start + count):
            personal = {"name": "张三", "id_number": "330106199001011234"} if i % 3 == 0 else None
            details = {"field": "status", "to": "closed", "n": i}
            record(session, "regulator-1", "change", "warning", str(i), details, personal=personal)


def drop_guards(db: Database) -> None:
    """What an attacker who owns the schema does first: drop the append-only triggers (migration 0012),
    which stop everyone else. The tamper tests model that attacker; detection must not need the guards."""
    with db.engine.begin() as conn:
        for table in ("audit_event", "audit_checkpoint", "audit_cosignature"):
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            else:
                for verb in ("update", "delete"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))


def execute(db: Database, sql: str, **params: object) -> None:
    """Raw SQL as the schema owner would run it, the append-only guards dropped first."""
    drop_guards(db)
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def make_inspector(db: Database, username: str = "insp") -> None:
    with db.transaction() as session:
        create_user(
            db_session=session,
            username=username,
            display_name="纪检监察干部",
            password="pw-123456",
            grants=[("inspector", "33", [])],
        )

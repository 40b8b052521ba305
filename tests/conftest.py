"""Shared fixtures.

``db`` runs each test that takes it twice: on an SQLite file, and on PostgreSQL when
``TENDERWATCH_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it). PostgreSQL tests use a database of
their own, ``tenderwatch_test``, reset to an empty schema before each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tenderwatch.config import Settings
from tenderwatch.db import Database

PG_URL = os.environ.get("TENDERWATCH_TEST_POSTGRES_URL")
PG_TEST_DB = "tenderwatch_test"


def _pg_test_url() -> str:
    assert PG_URL is not None
    base = make_url(PG_URL)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_TEST_DB}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{PG_TEST_DB}"'))
    admin.dispose()
    return base.set(database=PG_TEST_DB).render_as_string(hide_password=False)


def _reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    return path


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, data_dir: Path) -> Settings:
    if request.param == "postgresql":
        if PG_URL is None:
            pytest.skip("TENDERWATCH_TEST_POSTGRES_URL is not set")
        url = _pg_test_url()
        _reset_pg(url)
        return Settings(data_dir=data_dir, database_url=url)
    return Settings(data_dir=data_dir)


@pytest.fixture
def sqlite_settings(data_dir: Path) -> Settings:
    """For tests about files and the lake, where the database backend does not matter."""
    return Settings(data_dir=data_dir)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_settings: Settings) -> Iterator[Database]:
    database = Database(sqlite_settings)
    database.upgrade()
    yield database
    database.dispose()

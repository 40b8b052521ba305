"""Broker fixtures: the tiny synthetic province with C18 run on it (once per session), and the web app
over the ``db`` fixture with the demo accounts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.web.app import create_app
from tests.detection.conftest import Province, build_province


@pytest.fixture(scope="session")
def tiny_c18(tmp_path_factory: pytest.TempPathFactory) -> Province:
    province = build_province(tmp_path_factory.mktemp("broker-tiny"))
    detect(province.db, ["C18"])
    return province


@pytest.fixture
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in tests/web: production Argon2 parameters are covered by tests/auth."""
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def app(db: Database, _cheap_password_hashing: None) -> FastAPI:
    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    return create_app(db.settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client

"""Fixtures for the web tests: an app over the ``db`` fixture (both backends), demo accounts, and a
client signed in as a given role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import DEMO_PASSWORD, demo_username, ensure_demo_accounts
from tenderwatch.db import Database
from tenderwatch.web.app import create_app

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production Argon2 costs ~0.16 s a hash and every test creates seven accounts; the real
    parameters are covered by tests/auth."""
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def app(db: Database) -> FastAPI:
    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    return create_app(db.settings)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF_RE.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: TestClient, role: str) -> TestClient:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": demo_username(role), "password": DEMO_PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # Internal errors must come back as the 500 page, as a browser would see them, not as exceptions.
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def client_as(client: TestClient) -> Callable[[str], TestClient]:
    return lambda role: sign_in(client, role)

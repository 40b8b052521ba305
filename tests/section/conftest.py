"""The tiny synthetic province, imported and run through detection once, served by one app, with users
whose grants cover or miss a chosen section."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import ensure_demo_accounts
from tenderwatch.engine.flows import detect
from tenderwatch.web.app import create_app
from tests.detection.conftest import Province, build_province
from tests.web.conftest import CSRF_RE, sign_in

PASSWORD = "section-test-password"


@dataclass
class Served:
    province: Province
    app: FastAPI

    def scheme(self, model: str, kind: str | None = None) -> dict[str, Any]:
        """The first planted scheme of a model (and type) confined to one section."""
        for scheme in self.province.truth["schemes"]:
            same_kind = kind is None or scheme["type"] == kind
            if scheme["model"] == model and same_kind and len(scheme["sections"]) == 1:
                return dict(scheme)
        raise LookupError(f"no one-section scheme of {model} {kind or ''}")


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    province = build_province(Path(tmp_path_factory.mktemp("section-province")))
    summary = detect(province.db)
    assert summary.warnings.get("raised", 0) > 0
    with province.db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    return Served(province, create_app(province.settings))


@pytest.fixture
def user_with(served: Served) -> Callable[[str, str, list[str]], str]:
    """Create (once) a user holding one grant; returns the username."""

    def make(role: str, prefix: str, industries: list[str]) -> str:
        username = f"t-{role}-{prefix}-{'-'.join(industries) or 'all'}"
        with served.province.db.transaction() as session:
            if auth_service.get_by_username(db_session=session, username=username) is None:
                auth_service.create_user(
                    db_session=session,
                    username=username,
                    display_name=username,
                    password=PASSWORD,
                    grants=[(role, prefix, industries)],
                )
        return username

    return make


@pytest.fixture
def client(served: Served) -> Iterator[TestClient]:
    # Not entered as a context manager: the lifespan would dispose the session-wide database.
    yield TestClient(served.app, raise_server_exceptions=False)


@pytest.fixture
def as_role(client: TestClient) -> Callable[[str], TestClient]:
    return lambda role: sign_in(client, role)


@pytest.fixture
def as_user(client: TestClient) -> Callable[[str], TestClient]:
    def login(username: str) -> TestClient:
        token = CSRF_RE.search(client.get("/login").text)
        assert token
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    return login

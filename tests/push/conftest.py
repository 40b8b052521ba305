"""Push fixtures: the tiny synthetic province imported once per session and copied for each test (the
push API writes to the lake and the database), an app over the copy, and platform tokens."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tenderwatch.auth import service as auth_service
from tenderwatch.auth import tokens
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.web.app import create_app
from tests.detection.conftest import Province, build_province

MakeToken = Callable[..., str]


@dataclass
class Live:
    """A copy of the tiny province that one test may change, with its app."""

    db: Database
    client: TestClient
    truth: dict[str, Any]
    make_token: MakeToken


@pytest.fixture(scope="session")
def tiny_push(tmp_path_factory: pytest.TempPathFactory) -> Province:
    province = build_province(tmp_path_factory.mktemp("tiny-push"))
    province.db.dispose()
    return province


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users here call with tokens; Argon2's real cost is covered by tests/auth."""
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@pytest.fixture
def live(tiny_push: Province, tmp_path: Path) -> Iterator[Live]:
    data_dir = tmp_path / "var"
    shutil.copytree(tiny_push.settings.data_dir, data_dir)
    settings = Settings(data_dir=data_dir)
    db = Database(settings)
    db.upgrade()
    made = itertools.count(1)

    def make_token(role: str = "platform", region: str = "33", industries: list[str] | None = None) -> str:
        username = f"{role}-{next(made)}"
        with db.transaction() as session:
            auth_service.create_user(
                db_session=session,
                username=username,
                display_name=role,
                password="pw-123456",
                grants=[(role, region, industries or [])],
            )
            _row, clear = tokens.create_token(db_session=session, username=username, name="test", actor="t")
        return clear

    with TestClient(create_app(settings)) as client:
        yield Live(db, client, tiny_push.truth, make_token)
    db.dispose()


def push(client: TestClient, token: str | None, *events: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/events", json={"events": list(events)}, headers=headers)

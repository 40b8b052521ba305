"""Credit fixtures: identifiers, a violation builder, users with tokens, an app over the ``db`` fixture and
a lake holding given credit-centre records (imported the normal way)."""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tenderwatch.auth import service as auth_service
from tenderwatch.auth import tokens
from tenderwatch.common.identifiers import make_id_number, make_uscc
from tenderwatch.credit.flows import Violation
from tenderwatch.db import Database
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.web.app import create_app
from tests.detection.fixture_records import csv


def uscc(n: int) -> str:
    return make_uscc("330102", random.Random(1000 + n))


def pid(n: int) -> str:
    return make_id_number("330102", date(1980, 1, 1), random.Random(2000 + n))


def violation(subject: str, decided_on: date, kind: str = "collusion", **changes: Any) -> Violation:
    base = Violation(
        subject_type="company",
        subject_id=subject,
        industry="building",
        region_code="330106",
        kind=kind,
        reason="串通投标",
        decision_no=f"杭建罚〔{decided_on.year}〕{decided_on:%m%d}号",
        decision_sha256=hashlib.sha256(f"decision {subject} {decided_on}".encode()).hexdigest(),
        decided_on=decided_on,
    )
    return replace(base, **changes)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users here sign in with tokens or test sessions; Argon2's real cost is covered by tests/auth."""
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


MakeToken = Callable[[str, str, list[str]], str]


@pytest.fixture
def make_token(db: Database) -> MakeToken:
    """A user with one grant (role, region prefix, industries) and a fresh token for it."""

    made = itertools.count(1)

    def make(role: str, region: str = "33", industries: list[str] | None = None) -> str:
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

    return make


@pytest.fixture
def app(db: Database) -> FastAPI:
    return create_app(db.settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def deliver(db: Database, root: Path, files: dict[str, list[dict[str, Any]]]) -> None:
    """Import source-unit records (dataset id → rows) into the lake of ``db``."""
    folder = root / "delivery"
    folder.mkdir(parents=True, exist_ok=True)
    for dataset, rows in files.items():
        (folder / f"{dataset}.csv").write_text(csv(dataset, rows), encoding="utf-8")
    results = ingest_paths(db, [folder])
    assert all(r.status == "committed" and not r.rejected for r in results), results

"""Sign-in, sign-out, CSRF, redirects and error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tenderwatch.auth.flows import DEMO_PASSWORD
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning
from tests.web.conftest import csrf_of
from tests.web.test_analysis_pages import _warning


def test_pages_redirect_to_login_and_api_says_401(client: TestClient) -> None:
    response = client.get("/catalog?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/catalog%3Fx%3D1"
    api = client.get("/api/v1/catalog")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "login_required"


def test_login_page_is_chinese_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert "招投标智慧监管监督系统" in page.text and "登录" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY"


def test_sign_in_and_out(client: TestClient) -> None:
    token = csrf_of(client)
    wrong = client.post(
        "/login", data={"username": "demo-inspector", "password": "nope", "csrf_token": token, "next": "/"}
    )
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    ok = client.post(
        "/login",
        data={
            "username": "demo-inspector",
            "password": DEMO_PASSWORD,
            "csrf_token": token,
            "next": "/batches",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/batches"
    home = client.get("/")
    assert "纪检监察干部" in home.text and "演示·纪检监察干部" in home.text
    assert client.get("/api/v1/catalog").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf_of(client, "/")}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/v1/catalog").status_code == 401


def test_login_requires_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "demo-admin", "password": DEMO_PASSWORD})
    assert response.status_code == 400 and "表单已过期" in response.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_no_open_redirect_after_login(client: TestClient, target: str) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": "demo-admin", "password": DEMO_PASSWORD, "csrf_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_language_switch_is_remembered(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("inspector")
    assert "数据共享清单" in client.get("/catalog").text
    switched = client.get("/lang/en?next=/catalog", follow_redirects=False)
    assert switched.headers["location"] == "/catalog"
    page = client.get("/catalog").text
    assert "Data catalogue" in page and 'lang="en"' in page and "中文" in page
    # Kept across sign-out (the session keeps the choice) and stored on the account.
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    assert "Sign in" in client.get("/login").text
    client.get("/lang/zh_CN?next=/login")
    assert "登录" in client.get("/login").text


def test_unknown_page_is_a_localised_404(client_as: Callable[[str], TestClient]) -> None:
    client = client_as("inspector")
    response = client.get("/catalog/no_such_dataset")
    assert response.status_code == 404 and "页面不存在" in response.text
    assert client.get("/api/v1/catalog/no_such_dataset").json()["error"]["code"] == "http_404"


def test_internal_error_shows_a_reference_not_a_traceback(
    app: FastAPI, client_as: Callable[[str], TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    client = client_as("inspector")
    response = client.get("/boom")
    assert response.status_code == 500
    assert "系统内部错误" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
    reference = response.text.split('class="reference">')[1].split("<")[0]
    assert len(reference) == 12
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_user_error_is_shown_in_the_users_language(
    app: FastAPI, client_as: Callable[[str], TestClient]
) -> None:
    @app.get("/api/v1/refuse")
    def refuse() -> None:
        raise UserError("不可以", "not allowed here")

    client = client_as("inspector")
    assert client.get("/api/v1/refuse").json()["error"]["message"] == "不可以"
    client.get("/lang/en")
    response = client.get("/api/v1/refuse")
    assert response.status_code == 400 and response.json()["error"]["message"] == "not allowed here"


def test_login_form_is_throttled_with_429(app: FastAPI, client: TestClient) -> None:
    token = csrf_of(client)
    form = {"username": "demo-admin", "password": "nope", "csrf_token": token, "next": "/"}
    for _ in range(app.state.settings.login_max_failures):
        assert client.post("/login", data=form).status_code == 401
    refused = client.post("/login", data={**form, "password": DEMO_PASSWORD}, follow_redirects=False)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    client.get("/lang/en")
    english = client.post("/login", data=form)
    assert english.status_code == 429 and "Too many failed sign-ins" in english.text
    # Another account is not locked out by someone guessing this one.
    other = client.post(
        "/login",
        data={**form, "username": "demo-inspector", "password": DEMO_PASSWORD},
        follow_redirects=False,
    )
    assert other.status_code == 303


def test_warning_counts_and_pages_are_filtered_by_jurisdiction(
    db: Database, client_as: Callable[[str], TestClient]
) -> None:
    with db.transaction() as session:
        session.add(_warning("red", "S2", "330106", "C01", ["A"]))  # Hangzhou, building
        session.add(_warning("orange", "S1", "330206", "C06", ["B"]))  # Ningbo, building
    regulator = client_as("regulator")  # the demo regulator: Hangzhou (3301), building
    data = regulator.get("/api/v1/warnings").json()
    assert data["total"] == 1 and data["by_grade"] == {"red": 1, "orange": 0, "yellow": 0}
    assert [w["region_code"] for w in data["items"]] == ["330106"]
    # Asking for the other city does not get around the grant: the filter is added, not replaced.
    assert regulator.get("/api/v1/warnings?region=3302").json()["total"] == 0
    with db.session() as session:
        ningbo = session.scalars(select(Warning.id).where(Warning.region_code == "330206")).one()
    assert regulator.get(f"/api/v1/warnings/{ningbo}").status_code == 404
    assert regulator.get(f"/warnings/{ningbo}").status_code == 404


def test_warnings_are_refused_to_roles_without_business_there(client_as: Callable[[str], TestClient]) -> None:
    steward = client_as("data_steward")
    assert steward.get("/api/v1/warnings").status_code == 403
    assert steward.get("/api/v1/graph/search?q=x").status_code == 403

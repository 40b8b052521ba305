"""The authorization matrix: every route of the app × every role, anonymous, a neighbouring county's
user and machine tokens, against tests/web/route_matrix.yaml (its header explains the format).

One app, one small dataset (the hand-made lake of tests/analysis, a warning and its case in Xihu district
330106), one signed-in client per principal. A route without an entry, or an entry without a route,
fails the test before any request is made. The summary table goes to stdout and to
test-artifacts/route-matrix.md.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from starlette.routing import Mount

from tenderwatch.auth import service as auth_service
from tenderwatch.auth.models import ROLES
from tenderwatch.auth.tokens import create_token
from tenderwatch.case import flows as case_flows
from tenderwatch.case.routing import seed_departments
from tenderwatch.credit import service as credit_service
from tenderwatch.db import Database
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.ingest.models import Batch
from tests.analysis.lake import P1, A, files
from tests.case.conftest import ASSIGNED_ON
from tests.web.conftest import CSRF_RE, sign_in
from tests.web.test_analysis_pages import _warning

MATRIX_FILE = Path(__file__).with_name("route_matrix.yaml")
ARTIFACT = Path(__file__).parents[2] / "test-artifacts" / "route-matrix.md"
NEIGHBOUR_REGION = "330108"  # 滨江区, next to 西湖区 330106 where the fixture data is
# Roles whose grants are jurisdiction-bound in the matrix; each gets a neighbouring-county twin.
NEIGHBOUR_ROLES = ("inspector", "regulator", "reviewer", "model_owner")
TOKEN_ROLES = ("platform", "data_steward")
SCOPES = ("public", "role", "jurisdiction")


@dataclass
class Principal:
    name: str  # "anonymous", a role, "neighbour:<role>" or "token:<role>"
    client: TestClient
    role: str | None = None
    neighbour: bool = False
    token: str | None = None
    csrf: str = ""


@dataclass
class Tally:
    allowed: int = 0
    denied: int = 0
    cells: dict[tuple[str, str], str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def app_routes(app: FastAPI) -> set[str]:
    """Every "METHOD /path" the app serves, except mounts (static files); HEAD rides along with GET."""
    found: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            continue
        methods = getattr(route, "methods", None) or set()
        for method in methods - {"HEAD"}:
            found.add(f"{method} {context.path}")
    return found


def load_matrix() -> dict[str, dict[str, Any]]:
    matrix: dict[str, dict[str, Any]] = yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8"))
    for key, entry in matrix.items():
        assert entry.get("scope") in SCOPES, f"{key}: scope must be one of {SCOPES}"
        roles = entry.get("roles")
        assert roles == "all" or (isinstance(roles, list) and set(roles) <= set(ROLES)), f"{key}: roles"
    return matrix


def test_every_route_has_a_matrix_entry(app: FastAPI) -> None:
    routes, matrix = app_routes(app), load_matrix()
    missing = sorted(routes - matrix.keys())
    stale = sorted(matrix.keys() - routes)
    assert not missing, f"routes without an entry in {MATRIX_FILE.name}: {missing}"
    assert not stale, f"entries in {MATRIX_FILE.name} naming no route: {stale}"


# ---- the dataset ----------------------------------------------------------------------------------


def build_dataset(db: Database, tmp: Path) -> dict[str, str]:
    folder = tmp / "delivery"
    folder.mkdir()
    for dataset, text in files().items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    # A site under construction in 330106 for the industry pages (A builds it, P1 manages it).
    (folder / "construction_projects.csv").write_text(
        "project_id,name,industry,region_code,contractor_uscc,project_manager_id,start_date,status,section_code\n"
        f"ZJMATRIX1,S1标段工程,building,330106,{A},{P1},2024-07-01,active,S1\n",
        encoding="utf-8",
    )
    assert all(r.status == "committed" for r in ingest_paths(db, [folder]))
    with db.transaction() as session:
        seed_departments(db_session=session)
        warning = _warning("red", "S9", "330106", "C01", [A])
        session.add(warning)
        session.flush()
        case = case_flows.open_case(
            db_session=session, settings=db.settings, warning=warning, today=ASSIGNED_ON
        )
        entry = credit_service.add_blacklist(
            db_session=session,
            actor="matrix",
            subject_type="company",
            subject_id=A,
            restricted_actions=["submit_bid"],
            scope_region="330106",
            industries_in_scope=["building"],
            start_date=ASSIGNED_ON,
            end_date=None,
            legal_basis="matrix",
            reason="matrix",
            decision_no=None,
            status="proposed",
        )
        batch = session.query(Batch).order_by(Batch.id).first()
        assert batch is not None
        for role in NEIGHBOUR_ROLES:
            industries = [] if role in ("inspector", "model_owner") else ["building"]
            auth_service.create_user(
                db_session=session,
                username=f"nb-{role}",
                display_name=f"neighbour {role}",
                password="nb-password",
                grants=[(role, NEIGHBOUR_REGION, industries)],
            )
        return {
            "case": str(case.id),
            "warning": str(warning.id),
            "batch": str(batch.id),
            "dataset": "bid_fingerprints",
            "model": "C01",
            "subject": A,
            "blacklist": str(entry.id),
            "locale": "zh_CN",
            "section": "S1",
            "missing": "999999",
        }


def _csrf(client: TestClient, path: str) -> str:
    match = CSRF_RE.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def principals(app: FastAPI, db: Database) -> list[Principal]:
    def fresh() -> TestClient:
        # Not entered as a context manager: the lifespan would dispose the shared database on exit.
        return TestClient(app, raise_server_exceptions=False)

    found = [Principal("anonymous", fresh())]
    found[0].csrf = _csrf(found[0].client, "/login")
    for role in ROLES:
        found.append(Principal(role, sign_in(fresh(), role), role=role))
    for role in NEIGHBOUR_ROLES:
        client = fresh()
        response = client.post(
            "/login",
            data={"username": f"nb-{role}", "password": "nb-password", "csrf_token": _csrf(client, "/login")},
            follow_redirects=False,
        )
        assert response.status_code == 303
        found.append(Principal(f"neighbour:{role}", client, role=role, neighbour=True))
    for principal in found[1:]:
        principal.csrf = _csrf(principal.client, "/")
    with db.transaction() as session:
        for role in TOKEN_ROLES:
            _row, clear = create_token(
                db_session=session, username=f"demo-{role.replace('_', '-')}", name="matrix", actor="test"
            )
            found.append(Principal(f"token:{role}", fresh(), role=role, token=clear))
    for principal in found[-len(TOKEN_ROLES) :]:
        # A machine has no session, but its client gets the anonymous CSRF token so that writes are
        # refused for who is calling (401/403), not for a missing form token.
        principal.csrf = _csrf(principal.client, "/login")
    return found


# ---- one request and its verdict ---------------------------------------------------------------------


def call(principal: Principal, key: str, entry: dict[str, Any], values: dict[str, str]) -> Response:
    method, path = key.split(" ", 1)
    for name, fixture in (entry.get("params") or {}).items():
        path = path.replace("{" + name + "}", values[fixture])
    if entry.get("query"):
        path += "?" + urlencode(entry["query"])
    headers = {"X-CSRF-Token": principal.csrf}
    if principal.token:
        headers["Authorization"] = f"Bearer {principal.token}"
    response: Response
    body, data = entry.get("body"), dict(entry.get("data") or {})
    if method == "GET":
        response = principal.client.get(path, headers=headers, follow_redirects=False)
    elif body == "json":
        response = principal.client.request(method, path, json=data, headers=headers, follow_redirects=False)
    else:
        form = {**{k: str(v) for k, v in data.items()}, "csrf_token": principal.csrf}
        upload = {"file": ("matrix.txt", b"matrix", "text/plain")} if body == "file" else None
        response = principal.client.request(
            method, path, data=form, files=upload, headers=headers, follow_redirects=False
        )
    return response


def fill(template: str, values: dict[str, str]) -> str:
    """Put fixture values for {name}; other braces (regular expression syntax) stay as they are."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def refused(response: Response) -> bool:
    """An authorization refusal: 401, 403, or a page's redirect to the login form."""
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303, 307) and response.headers["location"].startswith("/login")


def expected_allowed(entry: dict[str, Any], principal: Principal) -> bool:
    if principal.token is not None:
        return principal.role in (entry.get("token") or [])
    if principal.role is None:
        return False
    roles = entry["roles"]
    allowed: bool = roles == "all" or principal.role in roles
    if principal.neighbour and entry["scope"] == "jurisdiction":
        return False
    return allowed


def judge(
    key: str, entry: dict[str, Any], principal: Principal, response: Response, values: dict[str, str]
) -> str:
    """'ok' (allowed, as expected), 'denied' (refused, as expected) or a failure description."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if entry["scope"] == "public":
        return "ok" if status not in (401, 403) else f"public route refused with {status}"
    marker = entry.get("marker")
    pattern = re.compile(fill(marker, values)) if marker else None
    if expected_allowed(entry, principal):
        if refused(response):
            return f"refused with {status}, expected allowed"
        missing_ok = "missing" in (entry.get("params") or {}).values()
        if status == 404 and not missing_ok:
            return "404 for an in-jurisdiction resource"
        if pattern and not pattern.search(response.text):
            return "allowed but the fixture item is not in the list"
        return "ok"
    if refused(response):
        return "denied"
    if principal.neighbour and entry["scope"] == "jurisdiction":
        if status == 404:
            return "denied"
        if pattern and 200 <= status < 300 and not pattern.search(response.text):
            return "denied"  # a list filtered by jurisdiction: the neighbour's view lacks the item
    return f"{status}, expected a refusal"


def test_route_matrix(app: FastAPI, db: Database, tmp_path: Path) -> None:
    matrix = load_matrix()
    values = build_dataset(db, tmp_path)
    everyone = principals(app, db)
    order = sorted(matrix, key=lambda k: (bool(matrix[k].get("last")), k.split(" ", 1)[1], k))
    tally = Tally()
    for principal in everyone:
        for key in order:
            entry = matrix[key]
            verdict = judge(key, entry, principal, call(principal, key, entry, values), values)
            if verdict == "ok":
                tally.allowed += 1
                tally.cells[(key, principal.name)] = "✓"
            elif verdict == "denied":
                tally.denied += 1
                tally.cells[(key, principal.name)] = "✗"
            else:
                tally.cells[(key, principal.name)] = "!"
                tally.failures.append(f"{key} as {principal.name}: {verdict}")
    report = summary(order, matrix, [p.name for p in everyone], tally)
    print(report)
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(report, encoding="utf-8")
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.denied > 0


def summary(order: list[str], matrix: dict[str, dict[str, Any]], names: list[str], tally: Tally) -> str:
    short = {n: n.replace("neighbour:", "nb:").replace("token:", "tok:") for n in names}
    lines = [
        "# Authorization matrix",
        "",
        f"{len(order)} routes × {len(names)} principals ({', '.join(names)}): "
        f"{tally.allowed + tally.denied + len(tally.failures)} requests, {tally.allowed} allowed as expected, "
        f"**{tally.denied} denied attempts checked**, {len(tally.failures)} failures.",
        "",
        "✓ allowed, ✗ refused (401/403/login, 404 or filtered list out of jurisdiction), ! unexpected. "
        "Neighbour (nb:) users hold the same role in county 330108; the data is in 330106.",
        "",
        "| route | scope | " + " | ".join(short[n] for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for key in order:
        cells = " | ".join(tally.cells.get((key, n), "") for n in names)
        lines.append(f"| `{key}` | {matrix[key]['scope']} | {cells} |")
    counts = Counter(matrix[k]["scope"] for k in order)
    lines += ["", "Routes by scope: " + ", ".join(f"{s} {counts[s]}" for s in SCOPES), ""]
    return "\n".join(lines)

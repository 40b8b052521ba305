"""Every view of personal data, change and export lands in the audit trail, once, with the person
identifiers only in the erasable personal part; reads of data that names no person record nothing.

Each point is driven the way a user reaches it (the web app as the right role, the command through
typer's runner) over the hand-made lake of tests/analysis, and the chain still verifies afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select
from typer.testing import CliRunner

from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.service import personal_payload
from tenderwatch.audit.verify import verify_database
from tenderwatch.auth import service as auth_service
from tenderwatch.auth.flows import demo_username, ensure_demo_accounts
from tenderwatch.cli import app as cli_app
from tenderwatch.complaint import flows as complaint_flows
from tenderwatch.complaint import service as complaint_service
from tenderwatch.complaint.models import Complaint
from tenderwatch.config import Settings, get_settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.ingest.flows import ingest_file, ingest_paths
from tenderwatch.warning.models import Warning, WarningEvent
from tenderwatch.web.app import create_app
from tests.analysis.lake import P1, P4, A, C, files
from tests.case.conftest import seeded, to_verifying, user
from tests.complaint.conftest import Filer, file_one
from tests.web.conftest import csrf_of, sign_in

__all__ = ["file_one", "seeded"]  # fixtures of the complaint tests, used here

BAD_ID = "330106199001011230"  # wrong check character: rejected, yet it is still somebody's number
PHONE_P4 = "13700000004"  # bids.operator_phone of P4 in the hand-made lake


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_service, "_hasher", PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)))


@dataclass
class World:
    db: Database
    person_warning: int  # about person P1, with a person's name in its evidence
    section_warning: int  # about a section, companies only: no personal data


def _warning(
    subject_type: str, subject_id: str, grade: str, entities: list[str], evidence: list[dict[str, str]]
) -> Warning:
    return Warning(
        fingerprint=f"S2|{subject_type}|{subject_id}",
        section_code="S2",
        subject_type=subject_type,
        subject_id=subject_id,
        region_code="330106",
        industry="building",
        grade=grade,
        grade_reason_zh="测试",
        grade_reason_en="test",
        entities=entities,
        models=[
            {
                "id": "C01",
                "version": 1,
                "severity": grade,
                "rules": ["r"],
                "explanation_zh": "测",
                "explanation_en": "t",
            }
        ],
        legal_basis=[],
        evidence=evidence,
        explanation_zh="测试",
        explanation_en="test",
        benign=[],
        hit_ids=[],
        events=[WarningEvent(kind="raised", detail={"grade": grade})],
    )


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    folder = tmp_path / "delivery"
    folder.mkdir()
    for dataset, text in files().items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    assert all(r.status == "committed" and not r.rejected for r in ingest_paths(db, [folder]))
    disk = {
        "model": "C01",
        "rule": "r",
        "severity": "red",
        "dataset": "bid_fingerprints",
        "field": "disk_serial",
    }
    name = {
        "model": "C07",
        "rule": "r",
        "severity": "orange",
        "dataset": "bid_personnel",
        "field": "person_name",
    }
    with db.transaction() as session:
        section = _warning(
            "section",
            "S2",
            "red",
            [A, C],
            [{**disk, "entity": e, "key": f"S2|{e}", "value": "DISK1"} for e in (A, C)],
        )
        person = _warning(
            "person", P1, "orange", [P1, A], [{**name, "entity": A, "key": f"S1|{A}", "value": "张一"}]
        )
        session.add_all([section, person])
        session.flush()
        ids = (person.id, section.id)
        ensure_demo_accounts(db_session=session)
    return World(db, *ids)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.db.settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def cli(settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Run `tenderwatch …` against the test database; returns the output, fails on a non-zero exit."""
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("TENDERWATCH_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("TENDERWATCH_DATABASE_URL", raising=False)
    get_settings.cache_clear()

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli_app, list(args))
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output

    yield invoke
    get_settings.cache_clear()


def head(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0)


def events_since(db: Database, seq: int) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.seq > seq).order_by(AuditEvent.seq)))


def expect(
    db: Database,
    since: int,
    wanted: list[tuple[str, str, str]],
    personal: tuple[str, ...] = (),
    subject_id: str | None = None,
) -> list[AuditEvent]:
    """The events after ``since`` are exactly ``wanted`` (action, subject_type, actor); each value of
    ``personal`` is in some event's personal payload and in no event's details; the chain verifies."""
    new = events_since(db, since)
    assert [(e.action, e.subject_type, e.actor) for e in new] == wanted
    if subject_id is not None:
        assert [e.subject_id for e in new] == [subject_id] * len(new)
    with db.session() as session:
        payloads = [personal_payload(session, e.personal_hash) for e in new if e.personal_hash]
        assert verify_database(session).ok
    for value in personal:
        assert value in json.dumps(payloads, ensure_ascii=False), f"{value} not in the personal part"
        for e in new:
            assert value not in json.dumps([e.details, e.subject_id], ensure_ascii=False), value
    return new


def as_role(client: TestClient, role: str) -> TestClient:
    return sign_in(client, role)  # the sign-in itself is a login event: callers take the head after it


VIEW = "view_personal"


# ---- warnings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "subject_id", "personal"),
    [
        ("/warnings/{person}", "{person}", (P1, "张一")),
        ("/api/v1/warnings/{person}", "{person}", (P1, "张一")),
        ("/warnings", "list", (P1,)),
        ("/api/v1/warnings", "list", (P1,)),
        ("/warnings/{section}", None, ()),
        ("/api/v1/warnings?grade=red", None, ()),
    ],
)
def test_warning_views(
    world: World, client: TestClient, path: str, subject_id: str | None, personal: tuple[str, ...]
) -> None:
    ids = {"person": world.person_warning, "section": world.section_warning}
    as_role(client, "regulator")
    since = head(world.db)
    assert client.get(path.format(**ids)).status_code == 200
    wanted = [] if subject_id is None else [(VIEW, "warning", demo_username("regulator"))]
    expect(world.db, since, wanted, personal, subject_id.format(**ids) if subject_id else None)


# ---- correlation graph ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "subject_id", "personal"),
    [
        (f"/api/v1/graph/neighbourhood?node=company:{A}", "neighbourhood", (f"person:{P1}",)),
        (f"/api/v1/graph/search?q={P1}", "search", (f"person:{P1}",)),
        ("/api/v1/graph/search?q=丙公司", None, ()),
        (f"/api/v1/graph/path?source={A}&target={C}", None, ()),  # through the shared disk only
        ("/api/v1/graph/groups?min_sections=2", None, ()),
    ],
)
def test_graph_views(
    world: World, client: TestClient, path: str, subject_id: str | None, personal: tuple[str, ...]
) -> None:
    as_role(client, "inspector")
    since = head(world.db)
    assert client.get(path).status_code == 200
    wanted = [] if subject_id is None else [(VIEW, "graph", demo_username("inspector"))]
    expect(world.db, since, wanted, personal, subject_id)


# ---- collision --------------------------------------------------------------------------------------


def test_collision_rows_with_persons_are_views(world: World, client: TestClient) -> None:
    as_role(client, "reviewer")
    actor = demo_username("reviewer")
    since = head(world.db)
    page = client.get("/collision?preset=personnel_social_insurance&part=left")
    assert page.status_code == 200 and "张二" in page.text
    expect(world.db, since, [(VIEW, "collision", actor)], ("张二",))

    since = head(world.db)  # sections name no one
    body = {
        "left": {"dataset": "sections", "fields": ["section_code"]},
        "right": {"dataset": "bids", "fields": ["section_code"]},
    }
    assert client.post("/api/v1/collision", json=body).status_code == 200
    expect(world.db, since, [])

    since = head(world.db)
    bids = {"dataset": "bids", "fields": ["section_code"], "filters": [{"field": "operator_id", "value": P4}]}
    filtered = {"left": bids, "right": body["left"]}
    assert client.post("/api/v1/collision", json=filtered).json()["rows"]
    expect(world.db, since, [(VIEW, "collision", actor)], (P4, PHONE_P4), "bids|sections")


def test_collision_export_is_recorded(world: World, client: TestClient) -> None:
    as_role(client, "model_owner")
    since = head(world.db)
    response = client.get(
        f"/collision/export.xlsx?lk=bid_personnel.person_id&rk=social_insurance.person_id&rf=social_insurance.person_id&rv={P1}"
    )
    assert response.status_code == 200
    (event,) = expect(world.db, since, [("export", "collision", demo_username("model_owner"))], (P1,))
    assert event.details["format"] == "xlsx" and event.subject_id == "bid_personnel|social_insurance"


# ---- import: uploads, rejected rows, rollback -------------------------------------------------------


def _upload(client: TestClient, name: str, data: bytes) -> str:
    token = csrf_of(client, "/upload")
    response = client.post(
        "/upload",
        data={"csrf_token": token, "dataset": ""},
        files={"file": (name, data, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"]).rsplit("/", 1)[1]


def test_upload_rejects_and_their_export(world: World, client: TestClient, cli: Callable[..., str]) -> None:
    as_role(client, "data_steward")
    steward = demo_username("data_steward")
    since = head(world.db)
    rows = f"person_id,name,phone\n{BAD_ID},李四,13900000001\n{P4},王五,13900000002\n"
    batch = _upload(client, "persons.csv", rows.encode())
    (change,) = expect(world.db, since, [("change", "batch", steward)], subject_id=batch)
    assert (change.details["op"], change.details["status"], change.details["rejected"]) == (
        "import",
        "committed",
        1,
    )

    for path in (f"/batches/{batch}", f"/api/v1/batches/{batch}/rejects"):
        since = head(world.db)
        assert client.get(path).status_code == 200
        expect(world.db, since, [(VIEW, "batch", steward)], (BAD_ID, "李四"), batch)

    since = head(world.db)
    csv = client.get(f"/batches/{batch}/rejects.csv")
    assert csv.status_code == 200 and BAD_ID in csv.text
    expect(world.db, since, [("export", "batch", steward)], subject_id=batch)

    since = head(world.db)
    assert "1 / 1" in cli("rejects", batch)
    (seen,) = events_since(world.db, since)
    expect(world.db, since, [(VIEW, "batch", seen.actor)], (BAD_ID, "李四"), batch)
    assert seen.actor.startswith("cli")

    since = head(world.db)  # a batch without rejects shows counts only
    clean = _upload(client, "persons.csv", f"person_id,name,phone\n{P4},王五,13900000002\n".encode())
    assert client.get(f"/batches/{clean}").status_code == 200
    assert client.get(f"/api/v1/batches/{clean}/rejects").status_code == 200
    cli("rejects", clean)
    expect(world.db, since, [("change", "batch", steward)], subject_id=clean)


def test_command_line_rollback_and_import(world: World, cli: Callable[..., str], tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(f"person_id,name,phone\n{P4},王五,13900000002\n", encoding="utf-8")
    since = head(world.db)
    cli("ingest", str(path))
    (imported,) = events_since(world.db, since)
    assert imported.actor.startswith("cli") and (imported.action, imported.subject_type) == (
        "change",
        "batch",
    )
    since = head(world.db)
    cli("rollback", imported.subject_id)
    (event,) = expect(world.db, since, [("change", "batch", imported.actor)], subject_id=imported.subject_id)
    assert event.details["op"] == "rollback"
    since = head(world.db)
    cli("rollback", imported.subject_id)  # already rolled back: nothing changes, nothing recorded
    expect(world.db, since, [])


# ---- broker register --------------------------------------------------------------------------------


def _broker(client: TestClient) -> int:
    token = csrf_of(client, "/brokers")
    body = {"display_name": "赵六", "reason": "举报线索", "phones": [PHONE_P4], "id_numbers": [P4]}
    response = client.post("/api/v1/brokers", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_broker_views(world: World, client: TestClient) -> None:
    as_role(client, "admin")
    admin = demo_username("admin")
    since = head(world.db)
    entry = _broker(client)
    expect(world.db, since, [("change", "broker_entry", admin)], (P4, "赵六"), str(entry))
    for path, subject_id in (
        (f"/brokers/{entry}", str(entry)),
        (f"/api/v1/brokers/{entry}", str(entry)),
        ("/brokers", "list"),
        ("/api/v1/brokers?q=赵六", "list"),
    ):
        since = head(world.db)
        assert client.get(path).status_code == 200
        expect(world.db, since, [(VIEW, "broker_entry", admin)], ("赵六",), subject_id)

    since = head(world.db)  # an empty list names no one
    assert client.get("/api/v1/brokers?status=confirmed").json()["items"] == []
    expect(world.db, since, [])

    judged = {"verdict": "same", "note": "赵六本人承认"}
    headers = {"X-CSRF-Token": csrf_of(client, "/brokers")}  # reading the page is a view of its own
    since = head(world.db)
    assert client.post(f"/api/v1/brokers/{entry}/judgements", json=judged, headers=headers).status_code == 201
    new = expect(world.db, since, [("change", "broker_entry", admin)] * 2, ("赵六本人承认",), str(entry))
    assert [e.details["kind"] for e in new] == ["judged", "status_changed"]

    since = head(world.db)
    assert client.post("/api/v1/brokers/screen", json={"phones": ["13000000000"]}).json() == []
    expect(world.db, since, [])
    assert client.post("/api/v1/brokers/screen", json={"phones": [PHONE_P4]}).json()
    expect(world.db, since, [(VIEW, "broker_entry", admin)], (PHONE_P4,), "screen_bid")

    since = head(world.db)
    found = client.post("/api/v1/brokers/screen-lake", json={"since": "2024-01-01"}).json()
    assert found["total"] >= 1
    expect(world.db, since, [(VIEW, "broker_entry", admin)], (PHONE_P4,), "screen_lake")


def test_broker_screen_command(world: World, client: TestClient, cli: Callable[..., str]) -> None:
    as_role(client, "regulator")
    _broker(client)
    since = head(world.db)
    assert "matches: 2" in cli("broker", "screen", "--since", "2024-01-01")
    (event,) = events_since(world.db, since)
    assert (event.action, event.subject_id) == (VIEW, "screen_lake") and event.actor.startswith("cli")
    expect(world.db, since, [(VIEW, "broker_entry", event.actor)], (PHONE_P4,))


# ---- OCDS export ------------------------------------------------------------------------------------


def test_ocds_export_command(world: World, cli: Callable[..., str], tmp_path: Path) -> None:
    out = tmp_path / "releases.jsonl"
    since = head(world.db)
    cli("ocds", "export", "--out", str(out))
    (event,) = events_since(world.db, since)
    assert out.exists() and event.details["releases"] == len(out.read_text().splitlines())
    expect(world.db, since, [("export", "ocds", event.actor)], subject_id="compiled_releases")
    assert event.actor.startswith("cli")


def test_pages_without_personal_data_record_nothing(world: World, client: TestClient) -> None:
    as_role(client, "inspector")
    since = head(world.db)
    for path in ("/", "/catalog", "/catalog/persons", "/models", "/models/C01", "/batches", "/graph"):
        assert client.get(path).status_code == 200, path
    expect(world.db, since, [])


# ---- complaints -------------------------------------------------------------------------------------


def test_complaint_filing_identity_and_answer(seeded: Database, file_one: Filer) -> None:
    since = head(seeded)
    filed = file_one()
    cid, case_id = str(filed.complaint.id), str(filed.case.id)
    # The case the filing opens (generated, then assigned), then the filing; the name is in none of them.
    new = expect(seeded, since, [("change", "case", "system")] * 2 + [("change", "complaint", "public")])
    assert new[-1].subject_id == cid and all(
        "张三" not in json.dumps(e.details, ensure_ascii=False) for e in new
    )

    to_verifying(seeded, filed.case.id)
    for who, seen in (("reg2", []), ("reg", [(VIEW, "complaint", "reg")])):
        since = head(seeded)
        with seeded.transaction() as session:
            complaint, case = complaint_service.get(
                db_session=session, user=user(session, who), complaint_id=int(cid)
            )
            complaint_service.detail(
                db_session=session, user=user(session, who), complaint=complaint, case=case
            )
        expect(seeded, since, seen, ("张三",) if seen else (), cid if seen else None)

    since = head(seeded)
    with seeded.transaction() as session:
        complaint_flows.answer(
            db_session=session,
            settings=seeded.settings,
            user=user(session, "reg"),
            complaint=session.get_one(Complaint, int(cid)),
            text="经核查，投诉成立。",
        )
    answered, submitted = expect(seeded, since, [("change", "complaint", "reg"), ("change", "case", "reg")])
    assert (answered.subject_id, answered.details["kind"]) == (cid, "answered")
    assert (submitted.subject_id, submitted.details["kind"]) == (case_id, "submit")


def test_demo_accounts_are_recorded_once(db: Database) -> None:
    since = head(db)
    with db.transaction() as session:
        created = ensure_demo_accounts(db_session=session)
    new = expect(db, since, [("change", "user", "system")] * len(created))
    assert {e.subject_id for e in new} == {a.username for a in created}
    since = head(db)
    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)  # they exist: nothing created, nothing recorded
    expect(db, since, [])


def test_detection_pass_is_one_change(world: World) -> None:
    since = head(world.db)
    detect(world.db, ["C01"])
    (event,) = expect(world.db, since, [("change", "warning", "system")], subject_id="detection")
    assert event.details["raised"] + event.details["updated"] >= 1  # S2 was already raised by hand
    since = head(world.db)
    detect(world.db, ["C01"])  # the same hits again: no warning changes, nothing recorded
    expect(world.db, since, [])


def test_a_failed_file_is_recorded_too(world: World, tmp_path: Path) -> None:
    path = tmp_path / "persons.xlsx"
    path.write_bytes(b"not a workbook")
    since = head(world.db)
    result = ingest_file(world.db, path, actor="steward-1")
    assert result.status == "failed"
    (event,) = expect(world.db, since, [("change", "batch", "steward-1")], subject_id=str(result.batch_id))
    assert event.details["status"] == "failed"

"""Checkpoint bundles verified offline, personal data kept out of the log and erasable, recording rules."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent, AuditPersonal
from tenderwatch.audit.service import (
    ENTRY_DOMAIN,
    canonical,
    compute_entry_hash,
    erase_personal,
    personal_payload,
    record,
)
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tests.audit.conftest import Cli, drop_guards, execute, fill, make_inspector


def _cosigned_bundle(db: Database, cli: Cli, tmp_path: Path) -> tuple[Path, Path]:
    fill(db, 4)
    assert cli("checkpoint").code == 0
    first = tmp_path / "cp1.json"
    assert cli("export-checkpoint", "--out", str(first)).code == 0
    fill(db, 5, start=4)
    assert cli("checkpoint").code == 0
    make_inspector(db)
    key = tmp_path / "insp.pem"
    assert cli("keygen", "--out", str(key)).code == 0
    assert cli("register-key", "--user", "insp", "--public-key", f"{key}.pub").code == 0
    assert cli("cosign", "--key", str(key), "--user", "insp").code == 0
    second = tmp_path / "cp2.json"
    run = cli("export-checkpoint", "--out", str(second))
    assert run.code == 0, run.output
    return first, second


def test_bundle_carries_a_proof_from_the_last_export_and_verifies_offline(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    _first, second = _cosigned_bundle(db, cli, tmp_path)
    data = json.loads(second.read_text(encoding="utf-8"))
    assert data["previous"]["id"] == 1 and data["checkpoint"]["id"] == 2
    assert data["previous"]["tree_size"] == 4 and data["consistency_proof"]
    assert {k["role"] for k in data["keys"]} == {"system", "witness"}
    db.dispose()  # offline: the bundle alone
    run = cli("verify", "--bundle", str(second), "--trust-key", data["checkpoint"]["key_id"])
    assert run.code == 0, run.output
    assert "1 cosignatures" in run.output


def test_a_bundle_signed_by_an_unpinned_key_is_refused(db: Database, cli: Cli, tmp_path: Path) -> None:
    _first, second = _cosigned_bundle(db, cli, tmp_path)
    run = cli("verify", "--bundle", str(second), "--trust-key", "0123456789abcdef")
    assert run.code == 1
    assert "checkpoint 2: signed by untrusted key" in run.output


def test_an_edited_bundle_is_caught(db: Database, cli: Cli, tmp_path: Path) -> None:
    _first, second = _cosigned_bundle(db, cli, tmp_path)
    data = json.loads(second.read_text(encoding="utf-8"))
    data["consistency_proof"][0] = "00" * 32
    second.write_text(json.dumps(data), encoding="utf-8")
    run = cli("verify", "--bundle", str(second))
    assert run.code == 1
    assert "checkpoint 2 is not consistent with checkpoint 1" in run.output
    data["checkpoint"]["root_hash"] = "11" * 32
    second.write_text(json.dumps(data), encoding="utf-8")
    run = cli("verify", "--bundle", str(second))
    assert "checkpoint 2: body does not match its fields" in run.output


def test_a_rehashed_rewrite_is_caught_by_the_checkpoint(db: Database, cli: Cli) -> None:
    """An attacker who edits an event and recomputes every later hash keeps the chain valid; the signed
    checkpoint root is what gives them away."""
    fill(db, 5)
    assert cli("checkpoint").code == 0
    drop_guards(db)  # the attacker owns the schema
    with db.transaction() as session:
        log = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        log[1].actor = "mallory"
        for i, event in enumerate(log[1:], start=1):
            event.prev_hash = log[i - 1].entry_hash
            event.entry_hash = compute_entry_hash(event)
        session.flush()
        execute_head = (log[-1].seq, log[-1].entry_hash)
    execute(db, "UPDATE audit_head SET seq = :s, entry_hash = :h", s=execute_head[0], h=execute_head[1])
    run = cli("verify")
    assert run.code == 1
    assert "checkpoint 1: the first 5 events no longer hash to the signed root" in run.output
    assert "edited" not in run.output and "chain broken" not in run.output


def test_personal_data_lives_outside_the_log_and_can_be_erased(db: Database, cli: Cli) -> None:
    fill(db, 4)  # events 1 and 4 carry a name and an ID number
    assert cli("checkpoint").code == 0
    with db.session() as session:
        first = session.get(AuditEvent, 1)
        assert first is not None and first.personal_hash is not None
        digest = first.personal_hash
        assert personal_payload(session, digest) == {"name": "张三", "id_number": "330106199001011234"}
    run = cli("log", "--limit", "50")
    assert run.code == 0 and "张三" not in run.output and "330106199001011234" not in run.output
    with db.transaction() as session:
        erase_personal(session, digest, actor="dpo")
    with db.session() as session:
        assert session.get(AuditPersonal, digest) is None
        assert (
            session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq.desc())).first()
            == "erase_personal"
        )
    run = cli("verify")
    assert run.code == 0, run.output


def test_recording_refuses_unknown_actions_and_non_json_details(db: Database) -> None:
    with db.transaction() as session, pytest.raises(UserError):
        record(session, "a", "teleport", "x", "1")
    with db.transaction() as session, pytest.raises(UserError):
        record(session, "a", "change", "x", "1", {"when": object()})


def test_cosign_refuses_a_user_who_is_not_an_inspector_and_a_broken_log(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    fill(db, 2)
    assert cli("checkpoint").code == 0
    key = tmp_path / "k.pem"
    assert cli("keygen", "--out", str(key)).code == 0
    run = cli("register-key", "--user", "nobody", "--public-key", f"{key}.pub")
    assert run.exception is not None and "no user nobody" in str(run.exception)
    make_inspector(db)
    assert cli("register-key", "--user", "insp", "--public-key", f"{key}.pub").code == 0
    execute(db, "DELETE FROM audit_event WHERE seq = 1")
    run = cli("cosign", "--key", str(key), "--user", "insp")
    assert run.exception is not None and "refusing to counter-sign" in str(run.exception)
    assert "event 1 missing (deleted)" in run.output


def test_bundle_proves_single_events_are_in_the_signed_tree(db: Database, cli: Cli, tmp_path: Path) -> None:
    fill(db, 7)
    assert cli("checkpoint").code == 0
    out = tmp_path / "cp.json"
    assert cli("export-checkpoint", "--out", str(out), "--event", "2", "--event", "7").code == 0
    assert cli("verify", "--bundle", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [i["entry"]["seq"] for i in data["inclusions"]] == [2, 7]
    assert "张三" not in out.read_text(encoding="utf-8")  # event 7 has a personal payload; only its hash

    data["inclusions"][0]["entry"]["details"]["to"] = "open"
    out.write_text(json.dumps(data), encoding="utf-8")
    run = cli("verify", "--bundle", str(out))
    assert run.code == 1 and "event 2: content does not match its hash" in run.output

    # A made-up entry with a matching entry hash is still not in the signed tree.
    entry = data["inclusions"][0]["entry"]
    data["inclusions"][0]["entry_hash"] = hashlib.sha256(ENTRY_DOMAIN + canonical(entry)).hexdigest()
    out.write_text(json.dumps(data), encoding="utf-8")
    run = cli("verify", "--bundle", str(out))
    assert run.code == 1 and "event 2 is not in checkpoint 1" in run.output

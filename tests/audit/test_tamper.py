"""Each way of tampering with the stored trail is caught by `tenderwatch audit verify`, with its own message.

The tampering is what an attacker with database access would do: raw SQL on the tables, or rows written
with a key of their own. Every test first shows the untouched log verifies, so the failure is the tamper's.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tenderwatch.audit import keys, merkle
from tenderwatch.audit.checkpoints import body, checkpoint_body, latest, sign_checkpoint
from tenderwatch.audit.models import AuditCheckpoint, AuditCosignature
from tenderwatch.audit.service import format_time
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tests.audit.conftest import Cli, drop_guards, execute, fill, make_inspector


def _intact(cli: Cli) -> None:
    run = cli("verify")
    assert run.code == 0, run.output
    assert "intact" in run.output


def _tampered(cli: Cli, expected: str) -> str:
    run = cli("verify")
    assert run.code == 1, run.output
    assert expected in run.output, run.output
    return run.output


def test_an_intact_log_with_checkpoints_and_a_cosignature_verifies(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    fill(db, 5)
    assert cli("checkpoint").code == 0
    fill(db, 4, start=5)
    assert cli("checkpoint").code == 0
    make_inspector(db)
    key = tmp_path / "insp.pem"
    assert cli("keygen", "--out", str(key)).code == 0
    assert cli("register-key", "--user", "insp", "--public-key", f"{key}.pub").code == 0
    run = cli("cosign", "--key", str(key), "--user", "insp")
    assert run.code == 0, run.output
    run = cli("verify")
    assert run.code == 0, run.output
    assert "intact: 13 events, 2 checkpoints, 1 cosignatures" in run.output


def test_edited_record(db: Database, cli: Cli) -> None:
    fill(db, 6)
    _intact(cli)
    details = json.dumps({"field": "status", "to": "open", "n": 2})
    cast = "CAST(:d AS JSON)" if db.engine.dialect.name == "postgresql" else ":d"
    execute(db, f"UPDATE audit_event SET details = {cast} WHERE seq = 3", d=details)
    _tampered(cli, "event 3: content does not match its hash (edited)")


def test_deleted_record(db: Database, cli: Cli) -> None:
    fill(db, 6)
    _intact(cli)
    execute(db, "DELETE FROM audit_event WHERE seq = 3")
    out = _tampered(cli, "event 3 missing (deleted)")
    assert "事件3缺失（被删除）" in out


def test_reordered_records(db: Database, cli: Cli) -> None:
    fill(db, 6)
    _intact(cli)
    execute(db, "UPDATE audit_event SET seq = -1 WHERE seq = 2")
    execute(db, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    execute(db, "UPDATE audit_event SET seq = 3 WHERE seq = -1")
    out = _tampered(cli, "event 2 was written as seq 3 (reordered)")
    assert "event 3 was written as seq 2 (reordered)" in out
    assert "edited" not in out  # a pure move is reported as a move


def test_truncated_log(db: Database, cli: Cli) -> None:
    fill(db, 6)
    assert cli("checkpoint").code == 0  # checkpoint 1 covers 6 events; its own record is event 7
    fill(db, 2, start=6)
    execute(db, "DELETE FROM audit_event WHERE seq >= 5")
    out = _tampered(cli, "log truncated: checkpoint 1 covers 6 events, the log holds 4")
    assert "log truncated: the head records seq 9, the last event is 4" in out


def test_truncated_log_with_the_head_row_rewritten_too(db: Database, cli: Cli) -> None:
    fill(db, 6)
    assert cli("checkpoint").code == 0
    execute(db, "DELETE FROM audit_event WHERE seq >= 5")
    execute(
        db, "UPDATE audit_head SET seq = 4, entry_hash = (SELECT entry_hash FROM audit_event WHERE seq = 4)"
    )
    _tampered(cli, "log truncated: checkpoint 1 covers 6 events, the log holds 4")


def test_forked_checkpoint(db: Database, cli: Cli, settings: Settings) -> None:
    fill(db, 6)
    assert cli("checkpoint").code == 0
    _intact(cli)
    other_root = merkle.root_hash([merkle.leaf_hash(b"another history")] * 6).hex()
    with db.transaction() as session:
        sign_checkpoint(session, keys.system_key(settings.effective_audit_key_file), 6, other_root)
    _tampered(cli, "fork: checkpoints 1 and 2 sign different roots for size 6")


def test_replaced_checkpoint_row(db: Database, cli: Cli) -> None:
    fill(db, 6)
    assert cli("checkpoint").code == 0
    _intact(cli)
    fake_root = merkle.root_hash([merkle.leaf_hash(b"x")] * 6).hex()
    execute(db, "UPDATE audit_checkpoint SET root_hash = :r WHERE id = 1", r=fake_root)
    _tampered(cli, "checkpoint 1: signature does not match its content (rewritten)")


def test_replaced_checkpoint_resigned_with_another_key(db: Database, cli: Cli) -> None:
    fill(db, 6)
    assert cli("checkpoint").code == 0
    _intact(cli)
    fake_root = merkle.root_hash([merkle.leaf_hash(b"x")] * 6).hex()
    with db.session() as session:
        cp = session.get(AuditCheckpoint, 1)
        assert cp is not None
    forger = Ed25519PrivateKey.generate()
    signature = keys.sign(forger, body(6, fake_root, format_time(cp.at), cp.prev_hash))
    execute(
        db,
        "UPDATE audit_checkpoint SET root_hash = :r, key_id = :k, signature = :s WHERE id = 1",
        r=fake_root,
        k=keys.key_id(forger.public_key()),
        s=signature,
    )
    out = _tampered(cli, f"checkpoint 1: signed by unregistered key {keys.key_id(forger.public_key())}")
    assert "the first 6 events no longer hash to the signed root" in out


def test_cosignature_by_an_unregistered_key(db: Database, cli: Cli, tmp_path: Path) -> None:
    fill(db, 3)
    assert cli("checkpoint").code == 0
    make_inspector(db)
    key = tmp_path / "insp.pem"
    assert cli("keygen", "--out", str(key)).code == 0
    assert cli("register-key", "--user", "insp", "--public-key", f"{key}.pub").code == 0
    _intact(cli)
    # The command refuses a key that is not registered to the user ...
    stray = tmp_path / "stray.pem"
    assert cli("keygen", "--out", str(stray)).code == 0
    run = cli("cosign", "--key", str(stray), "--user", "insp")
    assert run.exception is not None and "is not registered as insp's witness key" in str(run.exception)
    # ... and a cosignature slipped into the table with such a key is caught.
    forged = keys.read_private_key(stray)
    with db.transaction() as session:
        cp = latest(session)
        assert cp is not None
        kid = keys.key_id(forged.public_key())
        signature = keys.sign(forged, checkpoint_body(cp))
        session.add(AuditCosignature(checkpoint_id=cp.id, signer="insp", key_id=kid, signature=signature))
    _tampered(cli, f"checkpoint 1: cosignature by insp uses unregistered key {kid}")


def test_replaced_checkpoint_resigned_with_a_key_the_attacker_registered(db: Database, cli: Cli) -> None:
    """Writing the forger's key into audit_key does not help: verify pins the system key file's key."""
    fill(db, 4)
    assert cli("checkpoint").code == 0
    forger = Ed25519PrivateKey.generate()
    fake_root = merkle.root_hash([merkle.leaf_hash(b"x")] * 4).hex()
    drop_guards(db)  # the attacker owns the schema
    with db.transaction() as session:
        keys.register(session, forger.public_key(), "system", "system")
        cp = session.get(AuditCheckpoint, 1)
        assert cp is not None
        cp.root_hash, cp.key_id = fake_root, keys.key_id(forger.public_key())
        cp.signature = keys.sign(forger, checkpoint_body(cp))
    kid = keys.key_id(forger.public_key())
    _tampered(cli, f"checkpoint 1: signed by key {kid}, which is not the trusted system key")


def test_the_database_refuses_to_rewrite_the_log(db: Database, cli: Cli) -> None:
    # Without the schema owner's DROP TRIGGER, raw SQL cannot edit or delete events or checkpoints;
    # appending still works (the guards are BEFORE UPDATE/DELETE only).
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    fill(db, 4)
    assert cli("checkpoint").code == 0
    for sql in (
        "UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2",
        "DELETE FROM audit_event WHERE seq = 4",
        "UPDATE audit_checkpoint SET root_hash = 'x'",
        "DELETE FROM audit_checkpoint",
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    fill(db, 2, start=4)
    _intact(cli)

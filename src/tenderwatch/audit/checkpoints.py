"""Signed checkpoints of the log and the oversight side's counter-signatures.

A checkpoint body is a signed-note style text (origin, size, root, time, previous checkpoint hash), so a
witness can read what it signs. The system signs it; a discipline inspector verifies the whole log and then
counter-signs with their own key. Only then is a rewrite by whoever holds the database *and* the system key
detectable: the witness's signature cannot be forged.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit import keys, merkle
from tenderwatch.audit.models import GENESIS_HASH, AuditCheckpoint, AuditCosignature, AuditKey
from tenderwatch.audit.service import events, format_time, record
from tenderwatch.auth.models import User
from tenderwatch.auth.service import get_by_username, has_role
from tenderwatch.db import utcnow
from tenderwatch.errors import UserError

ORIGIN = "tenderwatch audit log"
WITNESS_ROLE = "inspector"  # 纪检监察干部: the oversight side in DESIGN.md


def body(tree_size: int, root_hex: str, at: str, prev_hash: str) -> bytes:
    root = base64.b64encode(bytes.fromhex(root_hex)).decode()
    return f"{ORIGIN}\n{tree_size}\n{root}\ntime {at}\nprev {prev_hash}\n".encode()


def checkpoint_body(cp: AuditCheckpoint) -> bytes:
    return body(cp.tree_size, cp.root_hash, format_time(cp.at), cp.prev_hash)


def checkpoint_hash(cp: AuditCheckpoint) -> str:
    return hashlib.sha256(checkpoint_body(cp)).hexdigest()


def leaves(session: Session) -> list[bytes]:
    """Merkle leaves: leaf_hash(entry_hash) in seq order, as stored (the verifier rechecks the hashes)."""
    return [merkle.leaf_hash(bytes.fromhex(e.entry_hash)) for e in events(session)]


def latest(session: Session) -> AuditCheckpoint | None:
    return session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()


def sign_checkpoint(
    session: Session, signing_key: Ed25519PrivateKey, tree_size: int, root_hex: str
) -> AuditCheckpoint:
    """Sign ``(tree_size, root)`` as the next checkpoint. Callers other than ``make_checkpoint`` are tests
    that forge a fork; the verifier must catch what this signs without looking at the log."""
    prev = latest(session)
    kid = keys.register(session, signing_key.public_key(), "system", "system").key_id
    cp = AuditCheckpoint(
        tree_size=tree_size,
        root_hash=root_hex,
        prev_id=prev.id if prev else None,
        prev_hash=checkpoint_hash(prev) if prev else GENESIS_HASH,
        key_id=kid,
        signature="",
    )
    cp.at = utcnow()
    cp.signature = keys.sign(signing_key, checkpoint_body(cp))
    session.add(cp)
    session.flush()
    return cp


def make_checkpoint(session: Session, key_file: Path, actor: str = "system") -> AuditCheckpoint:
    """Checkpoint the whole log as it is now; recorded in the log itself (after the checkpointed size)."""
    tree = leaves(session)
    cp = sign_checkpoint(session, keys.system_key(key_file), len(tree), merkle.root_hash(tree).hex())
    record(session, actor, "checkpoint", "audit_checkpoint", str(cp.id), {"tree_size": cp.tree_size})
    return cp


def _witness(session: Session, username: str) -> User:
    user = get_by_username(db_session=session, username=username)
    if user is None:
        raise UserError(f"用户不存在：{username}", f"no user {username}")
    if not has_role(user, WITNESS_ROLE):
        raise UserError(
            f"只有纪检监察干部可以会签：{username}",
            f"only a discipline inspector may counter-sign: {username}",
        )
    return user


def register_witness_key(session: Session, username: str, public_key_b64: str, actor: str) -> AuditKey:
    _witness(session, username)
    row = keys.register(session, keys.load_public_b64(public_key_b64), "witness", username)
    record(session, actor, "key_registered", "audit_key", row.key_id, {"owner": username, "role": "witness"})
    return row


def cosign(session: Session, cp: AuditCheckpoint, username: str, key: Ed25519PrivateKey) -> AuditCosignature:
    """Counter-sign ``cp``; the caller has verified the log first (``verify.verify_database``)."""
    _witness(session, username)
    kid = keys.key_id(key.public_key())
    row = session.get(AuditKey, kid)
    if row is None or row.role != "witness" or row.owner != username:
        raise UserError(
            f"该密钥未登记为{username}的会签公钥", f"key {kid} is not registered as {username}'s witness key"
        )
    existing = session.scalars(
        select(AuditCosignature).where(
            AuditCosignature.checkpoint_id == cp.id, AuditCosignature.key_id == kid
        )
    ).first()
    if existing is not None:
        return existing
    cosig = AuditCosignature(
        checkpoint_id=cp.id, signer=username, key_id=kid, signature=keys.sign(key, checkpoint_body(cp))
    )
    session.add(cosig)
    session.flush()
    record(session, username, "cosign", "audit_checkpoint", str(cp.id), {"key_id": kid})
    return cosig


def cosignatures(session: Session, checkpoint_id: int) -> list[AuditCosignature]:
    query = select(AuditCosignature).where(AuditCosignature.checkpoint_id == checkpoint_id)
    return list(session.scalars(query.order_by(AuditCosignature.id)))

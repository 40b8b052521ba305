"""Ed25519 keys: the system's checkpoint key (a file under the data dir) and oversight witness keys.

A key id is the first 16 hex digits of SHA-256 over the raw 32-byte public key, so the same key has the
same id in the database, in an exported bundle and on the witness's own machine.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from tenderwatch.audit.models import AuditKey
from tenderwatch.errors import UserError

RAW = serialization.Encoding.Raw
RAW_PUB = serialization.PublicFormat.Raw


def public_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(RAW, RAW_PUB)).decode()


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(key.public_bytes(RAW, RAW_PUB)).hexdigest()[:16]


def load_public_b64(value: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(value.strip(), validate=True))
    except ValueError as exc:
        raise UserError("公钥格式错误（须为32字节Ed25519，base64）", f"bad public key: {exc}") from exc


def verify_signature(public_key: str, signature: str, message: bytes) -> bool:
    try:
        load_public_b64(public_key).verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError, UserError):
        return False
    return True


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Created owner-only from the first byte: a key readable by others for even a moment is a leaked key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise UserError(f"密钥文件不存在：{path}", f"key file not found: {path}") from exc
    except (ValueError, TypeError) as exc:
        raise UserError(f"无法读取密钥文件：{path}", f"cannot read key file {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError(f"密钥须为Ed25519：{path}", f"not an Ed25519 key: {path}")
    return key


def system_key(path: Path) -> Ed25519PrivateKey:
    """The checkpoint signing key, made on first use."""
    if not path.exists():
        write_private_key(path, Ed25519PrivateKey.generate())
    return read_private_key(path)


def register(session: Session, public_key: Ed25519PublicKey, role: str, owner: str) -> AuditKey:
    """Trust a public key (idempotent for the same owner); one key never serves two owners."""
    kid = key_id(public_key)
    row = session.get(AuditKey, kid)
    if row is not None:
        if (row.role, row.owner) != (role, owner):
            raise UserError(
                f"该公钥已登记给{row.owner}", f"key {kid} is already registered to {row.owner} ({row.role})"
            )
        return row
    row = AuditKey(key_id=kid, role=role, owner=owner, public_key=public_b64(public_key))
    session.add(row)
    session.flush()
    return row

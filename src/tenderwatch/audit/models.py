"""ORM: the audit log, its head row, personal payloads kept outside it, keys, checkpoints, cosignatures.

The log (``audit_event``) is append-only by convention and tamper-evident by construction: each entry hashes
its own content together with the previous entry's hash, and signed checkpoints pin the Merkle root of the
first N entries. Nothing in the log is personal: a payload that is (a name, an address, a typed username)
lives in ``audit_personal`` under a salted hash, so it can be erased without touching the chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenderwatch.db import Base, utcnow

GENESIS_HASH = "0" * 64  # prev_hash of the first entry

ACTIONS = (
    "login",  # 登录成功
    "login_failed",  # 登录失败
    "view_personal",  # 查看个人信息
    "change",  # 修改
    "export",  # 导出
    "checkpoint",  # 生成检查点
    "cosign",  # 会签检查点
    "key_registered",  # 登记公钥
    "erase_personal",  # 删除个人信息
)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    # seq is assigned by the service under the head-row lock, never by the database: gaps must mean deletion.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(128))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    personal_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row (id 1): the last seq and entry hash. Appenders lock it, so the chain cannot fork."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditPersonal(Base):
    """A personal payload; the log keeps only SHA-256(salt ‖ payload). Deleting the row erases it for good
    (the salt goes with it, so the remaining hash cannot be tested against guesses)."""

    __tablename__ = "audit_personal"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    salt: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditKey(Base):
    """A public key the verifier trusts: the system's checkpoint key or an oversight user's witness key."""

    __tablename__ = "audit_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # "system" | "witness"
    owner: Mapped[str] = mapped_column(String(64))  # "system" or the witness's username
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 key, base64
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(Integer, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))  # hex
    at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_id: Mapped[int | None] = mapped_column(ForeignKey("audit_checkpoint.id"))
    prev_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the previous checkpoint's signed body
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(Text)  # base64


class AuditCosignature(Base):
    __tablename__ = "audit_cosignature"
    __table_args__ = (UniqueConstraint("checkpoint_id", "key_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("audit_checkpoint.id"), index=True)
    signer: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

"""Self-contained checkpoint bundles: exported for the oversight side, verifiable offline without the DB.

A bundle carries the checkpoint (with its signed body), the system signature and every cosignature, the
public keys they need, and the previously exported checkpoint with a consistency proof to this one. The
holder of an older bundle can thus check the log only grew; pinning the system key (``trusted_keys``) stops
a forger from shipping a bundle signed with a key of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit import merkle
from tenderwatch.audit.checkpoints import body, checkpoint_body, cosignatures, leaves
from tenderwatch.audit.keys import key_id, load_public_b64, verify_signature
from tenderwatch.audit.models import AuditCheckpoint, AuditEvent, AuditKey
from tenderwatch.audit.service import ENTRY_DOMAIN, canonical, entry_body, format_time, record
from tenderwatch.audit.verify import Report
from tenderwatch.errors import UserError

FORMAT = "tenderwatch-audit-bundle/1"


def _cp_json(cp: AuditCheckpoint) -> dict[str, Any]:
    return {
        "id": cp.id,
        "tree_size": cp.tree_size,
        "root_hash": cp.root_hash,
        "time": format_time(cp.at),
        "prev_hash": cp.prev_hash,
        "body": checkpoint_body(cp).decode(),
        "key_id": cp.key_id,
        "signature": cp.signature,
    }


def last_exported(session: Session) -> int | None:
    """The checkpoint id of the latest export event, the default base of the next consistency proof."""
    query = select(AuditEvent.subject_id).where(
        AuditEvent.action == "export", AuditEvent.subject_type == "audit_checkpoint"
    )
    value = session.scalars(query.order_by(AuditEvent.seq.desc()).limit(1)).first()
    return int(value) if value else None


def build(
    session: Session, checkpoint_id: int | None, since_id: int | None, actor: str, include: Sequence[int] = ()
) -> dict[str, Any]:
    """The bundle for one checkpoint (default: the latest); records the export in the log.

    ``include``: event seqs to prove present, each with its (non-personal) entry and an inclusion proof.
    """
    query = select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())
    if checkpoint_id is not None:
        query = query.where(AuditCheckpoint.id == checkpoint_id)
    cp = session.scalars(query.limit(1)).first()
    if cp is None:
        raise UserError(
            "没有可导出的检查点，请先运行 audit checkpoint", "no checkpoint to export; run `audit checkpoint`"
        )
    base_id = since_id if since_id is not None else last_exported(session)
    base = session.get(AuditCheckpoint, base_id) if base_id is not None else None
    if base_id is not None and (base is None or base.tree_size > cp.tree_size):
        raise UserError(
            f"检查点{base_id}不能作为比较基准", f"checkpoint {base_id} cannot be the base of this proof"
        )
    tree = leaves(session)[: cp.tree_size]
    if len(tree) < cp.tree_size:
        raise UserError(
            "日志短于检查点，请运行 audit verify",
            "the log is shorter than the checkpoint; run `audit verify`",
        )
    proof = merkle.consistency_proof(tree, base.tree_size) if base is not None else []
    sigs = cosignatures(session, cp.id)
    key_ids = {cp.key_id, *(s.key_id for s in sigs), *([base.key_id] if base else [])}
    keys = session.scalars(select(AuditKey).where(AuditKey.key_id.in_(key_ids)))
    inclusions = [_inclusion(session, tree, seq) for seq in include]
    details = {"since": base.id if base else None, "events": list(include)}
    record(session, actor, "export", "audit_checkpoint", str(cp.id), details)
    return {
        "format": FORMAT,
        "checkpoint": _cp_json(cp),
        "cosignatures": [{"signer": s.signer, "key_id": s.key_id, "signature": s.signature} for s in sigs],
        "keys": [
            {"key_id": k.key_id, "role": k.role, "owner": k.owner, "public_key": k.public_key} for k in keys
        ],
        "previous": _cp_json(base) if base is not None else None,
        "consistency_proof": [h.hex() for h in proof],
        "inclusions": inclusions,
    }


def _inclusion(session: Session, tree: list[bytes], seq: int) -> dict[str, Any]:
    event = session.get(AuditEvent, seq)
    if event is None or seq > len(tree):
        raise UserError(f"事件{seq}不在该检查点内", f"event {seq} is not covered by this checkpoint")
    proof = merkle.inclusion_proof(tree, seq - 1)
    return {"entry": entry_body(event), "entry_hash": event.entry_hash, "proof": [h.hex() for h in proof]}


def _key_id_of(public_key: str) -> str:
    return key_id(load_public_b64(public_key))


def verify_bundle(path: Path, trusted_keys: set[str] | None = None) -> Report:
    """Check a bundle offline. ``trusted_keys``: key ids the system key must be one of."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"无法读取检查点包：{path}", f"cannot read bundle {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError("不是检查点包", f"not a {FORMAT} file: {path}")
    report = Report(checkpoints=1)
    try:
        _verify(data, trusted_keys, report)
    except (KeyError, TypeError, ValueError) as exc:
        report.add("malformed", "检查点包结构错误", f"bundle is malformed: {exc!r}")
    return report


def _verify(data: dict[str, Any], trusted: set[str] | None, report: Report) -> None:
    keys = {}
    for k in data["keys"]:
        if _key_id_of(k["public_key"]) != k["key_id"]:
            report.add(
                "bad_key", f"公钥{k['key_id']}与其编号不符", f"key {k['key_id']} does not match its id"
            )
        else:
            keys[k["key_id"]] = k
    cp, prev = data["checkpoint"], data["previous"]
    report.events = int(cp["tree_size"])  # the events the bundle vouches for
    for item in [cp] + ([prev] if prev else []):
        _verify_checkpoint(item, keys, trusted, report)
    for sig in data["cosignatures"]:
        report.cosignatures += 1
        key = keys.get(sig["key_id"])
        if key is None or key["role"] != "witness" or key["owner"] != sig["signer"]:
            report.add(
                "unknown_cosign_key",
                f"{sig['signer']}的会签使用了未知密钥{sig['key_id']}",
                f"cosignature by {sig['signer']} uses unknown key {sig['key_id']}",
            )
        elif not verify_signature(key["public_key"], sig["signature"], cp["body"].encode()):
            report.add(
                "bad_cosignature", f"{sig['signer']}的会签无效", f"cosignature by {sig['signer']} is invalid"
            )
    for item in data.get("inclusions", []):
        _verify_inclusion(item, cp, report)
    if prev and prev["tree_size"] > 0:
        proof = [bytes.fromhex(h) for h in data["consistency_proof"]]
        old, new = bytes.fromhex(prev["root_hash"]), bytes.fromhex(cp["root_hash"])
        try:
            merkle.verify_consistency(prev["tree_size"], cp["tree_size"], old, new, proof)
        except merkle.ProofError as exc:
            report.add(
                "inconsistent",
                f"检查点{cp['id']}与检查点{prev['id']}不一致",
                f"checkpoint {cp['id']} is not consistent with checkpoint {prev['id']} ({exc})",
            )


def _verify_checkpoint(
    cp: dict[str, Any], keys: dict[str, Any], trusted: set[str] | None, report: Report
) -> None:
    where_zh, where_en = f"检查点{cp['id']}", f"checkpoint {cp['id']}"
    expected = body(cp["tree_size"], cp["root_hash"], cp["time"], cp["prev_hash"]).decode()
    if expected != cp["body"]:
        report.add("bad_body", f"{where_zh}的正文与字段不符", f"{where_en}: body does not match its fields")
    key = keys.get(cp["key_id"])
    if key is None or key["role"] != "system" or (trusted is not None and cp["key_id"] not in trusted):
        report.add(
            "unknown_key",
            f"{where_zh}由不受信任的密钥{cp['key_id']}签名",
            f"{where_en}: signed by untrusted key {cp['key_id']}",
        )
    elif not verify_signature(key["public_key"], cp["signature"], cp["body"].encode()):
        report.add("bad_signature", f"{where_zh}签名无效", f"{where_en}: signature is invalid")


def _verify_inclusion(item: dict[str, Any], cp: dict[str, Any], report: Report) -> None:
    """The entry hashes to its entry hash (recomputed here), and that leaf is in the checkpoint's tree."""
    seq = int(item["entry"]["seq"])
    digest = hashlib.sha256(ENTRY_DOMAIN + canonical(item["entry"])).hexdigest()
    if digest != item["entry_hash"]:
        report.add("edited", f"事件{seq}内容与其哈希不符", f"event {seq}: content does not match its hash")
        return
    leaf = merkle.leaf_hash(bytes.fromhex(digest))
    proof = [bytes.fromhex(h) for h in item["proof"]]
    try:
        merkle.verify_inclusion(seq - 1, cp["tree_size"], leaf, proof, bytes.fromhex(cp["root_hash"]))
    except merkle.ProofError as exc:
        report.add(
            "not_included",
            f"事件{seq}不在检查点{cp['id']}内（包含证明失败）",
            f"event {seq} is not in checkpoint {cp['id']} ({exc})",
        )

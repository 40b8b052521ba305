"""Re-check the stored log: hash chain, head row, Merkle roots, checkpoint signatures, cosignatures.

Every problem is one line naming the event seq or checkpoint id and what is wrong, in 中文 / English, with a
``kind`` tag tests and tools can match on. Nothing here trusts a stored hash without recomputing it; a
stored hash is only used to find out *how* the log was changed (moved, edited or removed).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit import merkle
from tenderwatch.audit.checkpoints import checkpoint_body, checkpoint_hash, cosignatures
from tenderwatch.audit.keys import verify_signature
from tenderwatch.audit.models import GENESIS_HASH, AuditCheckpoint, AuditEvent, AuditHead, AuditKey
from tenderwatch.audit.service import compute_entry_hash, events


@dataclass(frozen=True)
class Problem:
    kind: str
    zh: str
    en: str

    def line(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass
class Report:
    events: int = 0
    checkpoints: int = 0
    cosignatures: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, zh: str, en: str) -> None:
        self.problems.append(Problem(kind, zh, en))


def verify_database(session: Session, trusted: set[str] | None = None) -> Report:
    """``trusted``: key ids a checkpoint's system key must be among. The CLI pins the key file's key, so
    someone who can write the database cannot register a key of their own and re-sign the history."""
    log = events(session)
    report = Report(events=len(log))
    _check_chain(log, report)
    _check_head(session, log, report)
    leaves = [merkle.leaf_hash(bytes.fromhex(e.entry_hash)) for e in log]
    _check_checkpoints(session, leaves, report, trusted)
    return report


def _written_positions(log: list[AuditEvent]) -> dict[str, int]:
    """Follow the prev_hash links from the genesis: the seq each entry had when written, for as far as the
    links hold. A pure reordering leaves the links intact, so this tells a move apart from an edit."""
    successor = {e.prev_hash: e for e in log}
    positions: dict[str, int] = {}
    current = successor.get(GENESIS_HASH)
    while current is not None and current.entry_hash not in positions:
        positions[current.entry_hash] = len(positions) + 1
        current = successor.get(current.entry_hash)
    return positions


def _check_chain(log: list[AuditEvent], report: Report) -> None:
    written = _written_positions(log)
    moved: set[int] = set()
    expected_seq, expected_prev, previous = 1, GENESIS_HASH, 0
    for e in log:
        gap = e.seq > expected_seq
        if gap:
            missing = f"{expected_seq}" if e.seq == expected_seq + 1 else f"{expected_seq}–{e.seq - 1}"
            report.add("deleted", f"事件{missing}缺失（被删除）", f"event {missing} missing (deleted)")
        chain_seq = written.get(e.entry_hash)
        if compute_entry_hash(e) != e.entry_hash:
            if chain_seq not in (None, e.seq) and compute_entry_hash(e, chain_seq) == e.entry_hash:
                moved.add(e.seq)
                report.add(
                    "reordered",
                    f"事件{e.seq}原为第{chain_seq}条（顺序被调换）",
                    f"event {e.seq} was written as seq {chain_seq} (reordered)",
                )
            else:
                report.add(
                    "edited",
                    f"事件{e.seq}内容与其哈希不符（被修改）",
                    f"event {e.seq}: content does not match its hash (edited)",
                )
        elif e.prev_hash != expected_prev and not gap and not moved & {e.seq, previous}:
            report.add(
                "chain",
                f"事件{e.seq}的前序哈希与事件{e.seq - 1}不符（链断开）",
                f"event {e.seq}: prev_hash does not match event {e.seq - 1} (chain broken)",
            )
        expected_seq, expected_prev, previous = e.seq + 1, e.entry_hash, e.seq


def _check_head(session: Session, log: list[AuditEvent], report: Report) -> None:
    head = session.get(AuditHead, 1)
    last_seq, last_hash = (log[-1].seq, log[-1].entry_hash) if log else (0, GENESIS_HASH)
    if head is None:
        report.add("head", "日志头记录缺失", "audit head row missing")
    elif head.seq > last_seq:
        report.add(
            "truncated",
            f"日志尾部被截断：头记录为第{head.seq}条，最后一条为第{last_seq}条",
            f"log truncated: the head records seq {head.seq}, the last event is {last_seq}",
        )
    elif (head.seq, head.entry_hash) != (last_seq, last_hash):
        report.add(
            "head",
            f"日志头记录与最后一条事件{last_seq}不符",
            f"head row does not match the last event {last_seq}",
        )


def _check_checkpoints(
    session: Session, leaves: list[bytes], report: Report, trusted: set[str] | None
) -> None:
    keys = {k.key_id: k for k in session.scalars(select(AuditKey))}
    cps = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    report.checkpoints = len(cps)
    roots_by_size: dict[int, list[AuditCheckpoint]] = defaultdict(list)
    prev: AuditCheckpoint | None = None
    for cp in cps:
        where_zh, where_en = f"检查点{cp.id}", f"checkpoint {cp.id}"
        key = keys.get(cp.key_id)
        if key is None or key.role != "system":
            report.add(
                "unknown_key",
                f"{where_zh}由未登记的密钥{cp.key_id}签名",
                f"{where_en}: signed by unregistered key {cp.key_id}",
            )
        elif trusted is not None and cp.key_id not in trusted:
            report.add(
                "untrusted_key",
                f"{where_zh}由不受信任的密钥{cp.key_id}签名（非本系统密钥文件）",
                f"{where_en}: signed by key {cp.key_id}, which is not the trusted system key",
            )
        elif not verify_signature(key.public_key, cp.signature, checkpoint_body(cp)):
            report.add(
                "bad_signature",
                f"{where_zh}签名与内容不符（被改写）",
                f"{where_en}: signature does not match its content (rewritten)",
            )
        if (cp.prev_id, cp.prev_hash) != ((prev.id, checkpoint_hash(prev)) if prev else (None, GENESIS_HASH)):
            report.add(
                "checkpoint_chain",
                f"{where_zh}与上一检查点的链接不符",
                f"{where_en}: link to the previous checkpoint does not match",
            )
        for other in roots_by_size[cp.tree_size]:
            if other.root_hash != cp.root_hash:
                report.add(
                    "fork",
                    f"分叉：检查点{other.id}与{cp.id}对同一规模{cp.tree_size}签署了不同的根",
                    f"fork: checkpoints {other.id} and {cp.id} sign different roots for size {cp.tree_size}",
                )
        roots_by_size[cp.tree_size].append(cp)
        _check_against_log(cp, prev, leaves, report)
        _check_cosignatures(session, cp, keys, report)
        prev = cp


def _check_against_log(
    cp: AuditCheckpoint, prev: AuditCheckpoint | None, leaves: list[bytes], report: Report
) -> None:
    where_zh, where_en = f"检查点{cp.id}", f"checkpoint {cp.id}"
    if cp.tree_size > len(leaves):
        report.add(
            "truncated",
            f"日志被截断：{where_zh}覆盖{cp.tree_size}条事件，日志仅有{len(leaves)}条",
            f"log truncated: {where_en} covers {cp.tree_size} events, the log holds {len(leaves)}",
        )
        return
    if merkle.root_hash(leaves[: cp.tree_size]).hex() != cp.root_hash:
        report.add(
            "rewritten",
            f"{where_zh}：日志前{cp.tree_size}条事件的默克尔根与签署的根不符",
            f"{where_en}: the first {cp.tree_size} events no longer hash to the signed root",
        )
    if prev is None or prev.tree_size == 0:
        return
    if prev.tree_size > cp.tree_size:
        report.add(
            "inconsistent",
            f"{where_zh}的规模小于检查点{prev.id}",
            f"{where_en} is smaller than checkpoint {prev.id}",
        )
        return
    proof = merkle.consistency_proof(leaves[: cp.tree_size], prev.tree_size)
    try:
        merkle.verify_consistency(
            prev.tree_size, cp.tree_size, bytes.fromhex(prev.root_hash), bytes.fromhex(cp.root_hash), proof
        )
    except merkle.ProofError as exc:
        report.add(
            "inconsistent",
            f"{where_zh}与检查点{prev.id}不一致（一致性证明失败）",
            f"{where_en} is not consistent with checkpoint {prev.id} ({exc})",
        )


def _check_cosignatures(
    session: Session, cp: AuditCheckpoint, keys: dict[str, AuditKey], report: Report
) -> None:
    for cosig in cosignatures(session, cp.id):
        report.cosignatures += 1
        key = keys.get(cosig.key_id)
        if key is None or key.role != "witness" or key.owner != cosig.signer:
            report.add(
                "unknown_cosign_key",
                f"检查点{cp.id}：{cosig.signer}的会签使用了未登记的密钥{cosig.key_id}",
                f"checkpoint {cp.id}: cosignature by {cosig.signer} uses unregistered key {cosig.key_id}",
            )
        elif not verify_signature(key.public_key, cosig.signature, checkpoint_body(cp)):
            report.add(
                "bad_cosignature",
                f"检查点{cp.id}：{cosig.signer}的会签与内容不符",
                f"checkpoint {cp.id}: cosignature by {cosig.signer} does not match its content",
            )

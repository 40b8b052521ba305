"""The source units' credit data in the lake: ``blacklist`` and ``credit_records`` (省信用中心).

Both are read from their current views and cached under the set of committed batches they came
from: the gate is called on every registration and bid, and a new delivery or a rollback changes that
set, so the next call re-reads.

The lake's ``restricted_actions`` is free text (e.g. "限制参与依法必须招标项目投标"); ``actions_of``
maps it onto our actions, conservatively, and ``kind_of`` maps a record's reason onto our kinds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import duckdb

from tenderwatch.catalog import get_catalog
from tenderwatch.credit.models import ACTIONS
from tenderwatch.db import Database
from tenderwatch.ingest import service as ingest_service
from tenderwatch.lake.views import LakeBatch, current_sql


@dataclass(frozen=True, slots=True)
class LakeBlacklistEntry:
    entry_id: str
    subject_id: str
    subject_name: str | None
    reason: str
    actions: frozenset[str]
    scope_region: str
    start_date: date
    end_date: date | None
    decision_no: str | None


@dataclass(frozen=True, slots=True)
class LakeCreditRecord:
    record_id: str
    subject_id: str
    subject_name: str | None
    good: bool
    kind: str
    reason: str
    decision_no: str | None
    issuer: str
    decided_on: date


@dataclass(frozen=True, slots=True)
class LakeCredit:
    blacklist: tuple[LakeBlacklistEntry, ...] = ()
    records: tuple[LakeCreditRecord, ...] = ()

    def blacklist_of(self, subject_id: str) -> list[LakeBlacklistEntry]:
        return [e for e in self.blacklist if e.subject_id == subject_id]

    def records_of(self, subject_id: str) -> list[LakeCreditRecord]:
        return [r for r in self.records if r.subject_id == subject_id]


# Words that name each action in the source units' texts. "参与招标投标"/"招投标活动" restricts taking
# part at all, so it covers every action; a bare "投标" only the bid itself.
_ALL_WORDS = ("招标投标活动", "招投标活动", "参与招标投标", "参与招投标")
_ACTION_WORDS = {
    "register": ("报名", "注册", "register"),
    "buy_documents": ("获取招标文件", "购买招标文件", "下载招标文件", "buy_documents"),
    "submit_bid": ("投标", "submit_bid"),
}


def actions_of(text: str) -> frozenset[str]:
    if any(word in text for word in _ALL_WORDS):
        return frozenset(ACTIONS)
    return frozenset(a for a, words in _ACTION_WORDS.items() if any(w in text for w in words))


_KIND_WORDS = (
    ("collusion", ("串通", "围标", "串标")),
    ("bribery", ("行贿",)),
    ("lending", ("挂靠", "出借", "借用", "转包", "以他人名义")),
    ("false_materials", ("弄虚作假", "虚假", "伪造")),
    ("expert_misconduct", ("评标专家", "专家")),
)


def kind_of(reason: str) -> str:
    return next((kind for kind, words in _KIND_WORDS if any(w in reason for w in words)), "other")


_lock = threading.Lock()
_cache: dict[tuple[str, tuple[int, ...]], LakeCredit] = {}


def _read(batches: list[LakeBatch]) -> LakeCredit:
    catalog = get_catalog()
    by_dataset = {ds: [b for b in batches if b.dataset == ds] for ds in ("blacklist", "credit_records")}
    con = duckdb.connect()
    try:
        black = con.sql(
            "SELECT entry_id, subject_id, subject_name, reason, restricted_actions, scope_region, start_date,"
            f" end_date, decision_no FROM ({current_sql(catalog.dataset('blacklist'), by_dataset['blacklist'])})"
            " WHERE subject_id IS NOT NULL AND start_date IS NOT NULL"
        ).fetchall()
        recs = con.sql(
            "SELECT record_id, subject_id, subject_name, kind, reason, decision_no, issuer, decided_on FROM"
            f" ({current_sql(catalog.dataset('credit_records'), by_dataset['credit_records'])})"
            " WHERE subject_id IS NOT NULL AND decided_on IS NOT NULL"
        ).fetchall()
    finally:
        con.close()
    return LakeCredit(
        blacklist=tuple(
            LakeBlacklistEntry(
                str(eid),
                str(sid),
                name,
                str(reason or ""),
                actions_of(str(acts or "")),
                str(scope or ""),
                start,
                end,
                dno,
            )
            for eid, sid, name, reason, acts, scope, start, end, dno in black
        ),
        records=tuple(
            LakeCreditRecord(
                str(rid),
                str(sid),
                name,
                kind == "good",
                kind_of(str(reason or "")),
                str(reason or ""),
                dno,
                str(issuer or ""),
                decided,
            )
            for rid, sid, name, kind, reason, dno, issuer, decided in recs
        ),
    )


def lake_credit(db: Database) -> LakeCredit:
    """The lake's current blacklist and credit records (cached per set of committed batches)."""
    with db.session() as session:
        batches = [
            b
            for b in ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
            if b.dataset in ("blacklist", "credit_records")
        ]
    key = (str(db.settings.lake_dir), tuple(b.batch_id for b in batches))
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    result = _read(batches)
    with _lock:
        _cache.clear()  # one lake state at a time: the old one is never asked for again
        _cache[key] = result
    return result

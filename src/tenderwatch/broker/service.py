"""Register queries and the small writes every flow shares (identifiers, events, audit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit_record
from tenderwatch.broker.canonical import canonical_account, canonical_id, canonical_name, canonical_phone
from tenderwatch.broker.lake_screen import BidMatch
from tenderwatch.broker.matching import Register, RegisterEntry
from tenderwatch.broker.models import BrokerEntry, BrokerEvent, BrokerIdentifier, BrokerJudgement
from tenderwatch.errors import UserError

CANONICAL = {
    "id_number": canonical_id,
    "phone": canonical_phone,
    "account": canonical_account,
    "name": canonical_name,
}
INVALID = {
    "id_number": ("身份证号无效（校验位或出生日期不符）", "invalid ID number (check digit or birth date)"),
    "phone": ("电话号码无效", "invalid phone number"),
    "account": ("银行账号无效", "invalid bank account"),
    "name": ("姓名为空", "empty name"),
}


@dataclass(frozen=True, slots=True)
class EntryFilter:
    status: str | None = None
    source: str | None = None
    query: str | None = None  # a name or identifier, canonicalised before the lookup
    include_merged: bool = False


def get_entry(*, db_session: Session, entry_id: int) -> BrokerEntry | None:
    return db_session.get(BrokerEntry, entry_id)


def root_of(db_session: Session, entry: BrokerEntry) -> BrokerEntry:
    """The entry that an entry was merged into, followed to the end (merges may chain)."""
    seen = {entry.id}
    while entry.merged_into_id is not None and entry.merged_into_id not in seen:
        parent = db_session.get(BrokerEntry, entry.merged_into_id)
        if parent is None:
            break
        seen.add(parent.id)
        entry = parent
    return entry


def merged_members(db_session: Session, entry: BrokerEntry) -> list[BrokerEntry]:
    """The entry and every entry merged into it, directly or through others."""
    members, frontier = [entry], [entry.id]
    while frontier:
        children = list(
            db_session.scalars(select(BrokerEntry).where(BrokerEntry.merged_into_id.in_(frontier)))
        )
        children = [c for c in children if c not in members]
        members.extend(children)
        frontier = [c.id for c in children]
    return members


def _filtered(flt: EntryFilter) -> Any:
    query = select(BrokerEntry)
    if not flt.include_merged:
        query = query.where(BrokerEntry.merged_into_id.is_(None))
    if flt.status:
        query = query.where(BrokerEntry.status == flt.status)
    if flt.source:
        query = query.where(BrokerEntry.source == flt.source)
    if flt.query:
        values = {v for v in (canon(flt.query) for canon in CANONICAL.values()) if v is not None}
        owners = select(BrokerIdentifier.entry_id).where(BrokerIdentifier.value.in_(values))
        query = query.where(
            or_(
                BrokerEntry.id.in_(owners),
                BrokerEntry.display_name.contains(flt.query.strip(), autoescape=True),
            )
        )
    return query


def list_entries(
    *, db_session: Session, flt: EntryFilter, limit: int = 50, offset: int = 0
) -> list[BrokerEntry]:
    query = _filtered(flt).order_by(BrokerEntry.id.desc()).limit(limit).offset(offset)
    return list(db_session.scalars(query))


def count_entries(*, db_session: Session, flt: EntryFilter) -> int:
    return int(db_session.scalar(select(func.count()).select_from(_filtered(flt).subquery())) or 0)


def judgements_of(db_session: Session, entry_ids: list[int]) -> list[BrokerJudgement]:
    query = (
        select(BrokerJudgement)
        .where(or_(BrokerJudgement.entry_id.in_(entry_ids), BrokerJudgement.other_entry_id.in_(entry_ids)))
        .order_by(BrokerJudgement.id)
    )
    return list(db_session.scalars(query))


def events_of(db_session: Session, entry_ids: list[int]) -> list[BrokerEvent]:
    query = select(BrokerEvent).where(BrokerEvent.entry_id.in_(entry_ids)).order_by(BrokerEvent.id)
    return list(db_session.scalars(query))


def add_event(
    db_session: Session,
    entry: BrokerEntry,
    kind: str,
    actor: str,
    detail: dict[str, Any],
    personal: dict[str, Any] | None = None,
) -> None:
    """The register's own event row, and the same change in the hash-chained audit log (identifiers and
    notes go to the audit log's personal payload, which can be erased on request)."""
    db_session.add(BrokerEvent(entry_id=entry.id, kind=kind, actor=actor, detail=detail))
    audit_record(
        db_session,
        actor=actor,
        action="change",
        subject_type="broker_entry",
        subject_id=str(entry.id),
        details={"kind": kind, **detail},
        personal=personal,
    )


def record_view(
    db_session: Session,
    actor: str,
    subject_id: str,
    details: dict[str, Any],
    personal: dict[str, Any],
) -> None:
    """Every register page names persons: one ``view_personal`` per page or answer (the caller commits).
    Names, identifiers and search words go to the erasable part."""
    audit_record(
        db_session,
        actor=actor,
        action="view_personal",
        subject_type="broker_entry",
        subject_id=subject_id,
        details=details,
        personal=personal,
    )


def record_lake_screen(
    db_session: Session, actor: str, since: str, matches: list[BidMatch], shown: int
) -> None:
    """The lake screen shows bid records' identifiers next to the register's persons (caller commits)."""
    if shown == 0:
        return
    listed = matches[:shown]
    record_view(
        db_session,
        actor,
        "screen_lake",
        {
            "since": since,
            "matches": len(matches),
            "shown": shown,
            "entries": sorted({m.entry_id for m in listed}),
        },
        {"values": list(dict.fromkeys(m.value for m in listed))},
    )


def add_identifier(
    db_session: Session, entry: BrokerEntry, kind: str, raw: str, actor: str, strict: bool = True
) -> BrokerIdentifier | None:
    """Add one identifier in canonical form. Invalid values raise (``strict``) or are skipped; a value the
    entry already has is not added twice."""
    if kind not in CANONICAL:
        raise UserError(f"未知标识类型：{kind}", f"unknown identifier kind: {kind}")
    value = CANONICAL[kind](raw)
    if value is None:
        if strict:
            zh, en = INVALID[kind]
            raise UserError(f"{zh}：{raw}", f"{en}: {raw}")
        return None
    if any(i.kind == kind and i.value == value for i in entry.identifiers):
        return None
    identifier = BrokerIdentifier(entry=entry, kind=kind, value=value, raw=raw.strip()[:128], added_by=actor)
    db_session.add(identifier)
    return identifier


def load_register(db_session: Session) -> Register:
    """The screening view: surviving (unmerged) entries not judged "not a broker", each with the
    identifiers of every entry merged into it."""
    entries = list(db_session.scalars(select(BrokerEntry)))
    by_id = {e.id: e for e in entries}
    root: dict[int, int] = {}
    for entry in entries:
        current, seen = entry, {entry.id}
        while current.merged_into_id is not None and current.merged_into_id in by_id:
            if current.merged_into_id in seen:
                break
            current = by_id[current.merged_into_id]
            seen.add(current.id)
        root[entry.id] = current.id
    folded: dict[int, dict[str, set[str]]] = {}
    for ident in db_session.scalars(select(BrokerIdentifier)):
        kinds = folded.setdefault(root[ident.entry_id], {})
        kinds.setdefault(ident.kind, set()).add(ident.value)
    items = []
    for entry in entries:
        if root[entry.id] != entry.id or entry.status == "rejected":
            continue
        kinds = folded.get(entry.id, {})
        items.append(
            RegisterEntry(
                entry.id,
                entry.display_name,
                entry.status,
                frozenset(kinds.get("id_number", ())),
                frozenset(kinds.get("phone", ())),
                frozenset(kinds.get("account", ())),
                frozenset(kinds.get("name", ())),
            )
        )
    return Register.build(items)

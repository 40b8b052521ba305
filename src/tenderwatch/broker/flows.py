"""Steps with effects: candidates from C18, manual entries, judgements (with merge and split).

Judgements are append-only. The entry's ``status`` and ``merged_into_id`` are recomputed from the
latest relevant judgement every time, so judging again is how a mistake is reversed, and the history
shows both the mistake and its correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tenderwatch.broker import service
from tenderwatch.broker.canonical import canonical_id, canonical_phone
from tenderwatch.broker.models import VERDICTS, BrokerEntry, BrokerJudgement
from tenderwatch.db import utcnow
from tenderwatch.engine.models import Hit
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning

STATUS_OF_VERDICT = {"same": "confirmed", "not_same": "rejected", "unsure": "unsure"}
C18 = "C18"


@dataclass
class CollectSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def create_manual_entry(
    db_session: Session,
    *,
    actor: str,
    display_name: str,
    reason: str,
    id_numbers: Iterable[str] = (),
    phones: Iterable[str] = (),
    accounts: Iterable[str] = (),
    names: Iterable[str] = (),
) -> BrokerEntry:
    """A person entered by hand (a tip-off, a case file). The reason is required: it is the source."""
    if not display_name.strip() or not reason.strip():
        raise UserError("须填写姓名和登记理由", "a display name and a reason are required")
    entry = BrokerEntry(
        display_name=display_name.strip()[:64],
        source="manual",
        reason=reason.strip(),
        created_by=actor,
        warning_ids=[],
        hit_ids=[],
    )
    db_session.add(entry)
    for kind, values in (("id_number", id_numbers), ("phone", phones), ("account", accounts)):
        for raw in values:
            if raw.strip():
                service.add_identifier(db_session, entry, kind, raw, actor)
    for raw in [display_name, *names]:
        if raw.strip():
            service.add_identifier(db_session, entry, "name", raw, actor)
    db_session.flush()
    _created_event(db_session, entry, actor)
    return entry


def _created_event(db_session: Session, entry: BrokerEntry, actor: str) -> None:
    detail = {"source": entry.source, "warning_ids": list(entry.warning_ids), "hit_ids": list(entry.hit_ids)}
    personal = {
        "display_name": entry.display_name,
        "reason": entry.reason,
        "identifiers": [[i.kind, i.value] for i in entry.identifiers],
    }
    service.add_event(db_session, entry, "created", actor, detail, personal)


def _person_details(con: duckdb.DuckDBPyConnection | None, person_id: str) -> tuple[list[str], list[str]]:
    """Names and phones the lake holds for an ID number (person registry, bid operator, guarantee
    applicant), so the candidate can be screened by phone and name too."""
    if con is None:
        return [], []
    rows = con.execute(
        """
        SELECT name, phone FROM persons WHERE person_id = $1
        UNION SELECT operator_name, operator_phone FROM bids WHERE operator_id = $1
        UNION SELECT applicant_name, applicant_phone FROM bid_guarantees WHERE applicant_id = $1
        UNION SELECT NULL, handler_phone FROM ca_certificates WHERE handler_id = $1
        """,
        [person_id],
    ).fetchall()
    names = sorted({str(n) for n, _ in rows if n is not None})
    phones = sorted({str(p) for _, p in rows if p is not None})
    return names, phones


def collect_candidates(
    db_session: Session, *, con: duckdb.DuckDBPyConnection | None = None, actor: str = "system"
) -> CollectSummary:
    """One candidate entry per person (or unresolved phone) that C18 hit in active mode, with the hits
    and warnings as its source. Idempotent: an existing candidate only gains new hits or warnings.

    ``con`` (a lake connection) adds the person's names and phones from the lake."""
    hits = list(
        db_session.scalars(select(Hit).where(Hit.model_id == C18, Hit.mode == "active").order_by(Hit.id))
    )
    by_subject: dict[str, list[Hit]] = {}
    for hit in hits:
        by_subject.setdefault(hit.subject_id, []).append(hit)
    summary = CollectSummary()
    for subject_id, subject_hits in by_subject.items():
        hit_ids = sorted({h.id for h in subject_hits})
        person_warnings = select(Warning).where(
            Warning.subject_type == "person", Warning.subject_id == subject_id
        )
        warning_ids = sorted(
            w.id for w in db_session.scalars(person_warnings) if any(m.get("id") == C18 for m in w.models)
        )
        key = f"{C18}|{subject_id}"
        entry = db_session.scalar(select(BrokerEntry).where(BrokerEntry.source_key == key))
        if entry is not None:
            new_hits = sorted(set(hit_ids) - set(entry.hit_ids))
            new_warnings = sorted(set(warning_ids) - set(entry.warning_ids))
            if not new_hits and not new_warnings:
                summary.unchanged += 1
                continue
            entry.hit_ids = sorted({*entry.hit_ids, *hit_ids})
            entry.warning_ids = sorted({*entry.warning_ids, *warning_ids})
            entry.updated_at = utcnow()
            service.add_event(
                db_session, entry, "evidence_added", actor, {"hit_ids": new_hits, "warning_ids": new_warnings}
            )
            summary.updated += 1
            continue
        entry = _new_candidate(db_session, con, subject_id, subject_hits, hit_ids, warning_ids, actor)
        summary.created += 1
    return summary


def _new_candidate(
    db_session: Session,
    con: duckdb.DuckDBPyConnection | None,
    subject_id: str,
    hits: list[Hit],
    hit_ids: list[int],
    warning_ids: list[int],
    actor: str,
) -> BrokerEntry:
    person_id = canonical_id(subject_id)
    names, phones = _person_details(con, person_id) if person_id else ([], [])
    clients = sorted({e for h in hits for e in h.entities})
    sections = sorted({h.section_code for h in hits if h.section_code})
    shown = ", ".join(sections[:5]) + (" …" if len(sections) > 5 else "")
    entry = BrokerEntry(
        display_name=(names[0] if names else subject_id)[:64],
        source="c18",
        source_key=f"{C18}|{subject_id}",
        reason=(
            f"C18：为{len(clients)}家企业办理投标，其中在标段 {shown} 相互竞争 | "
            f"C18: handles bids for {len(clients)} firms that competed in sections {shown}"
        ),
        warning_ids=warning_ids,
        hit_ids=hit_ids,
        created_by=actor,
    )
    db_session.add(entry)
    if person_id:
        service.add_identifier(db_session, entry, "id_number", person_id, actor)
    # C18 stands an unresolved phone in for its unknown holder: then the phone is the identity.
    for raw in [*phones, *([] if person_id else [subject_id])]:
        service.add_identifier(db_session, entry, "phone", raw, actor, strict=False)
    for hit in hits:
        for item in hit.evidence:
            field = item.get("field", "")
            if field.endswith("phone") and canonical_phone(item.get("value")):
                service.add_identifier(db_session, entry, "phone", item["value"], actor, strict=False)
    for name in names:
        service.add_identifier(db_session, entry, "name", name, actor, strict=False)
    db_session.flush()
    _created_event(db_session, entry, actor)
    return entry


def judge(
    db_session: Session,
    *,
    entry_id: int,
    verdict: str,
    actor: str,
    note: str = "",
    other_entry_id: int | None = None,
) -> BrokerJudgement:
    """Record a judgement and apply it. On the entry alone: same = confirmed broker, not_same = not a
    broker (drops out of screening), unsure = kept, pending more evidence. On a pair: same merges the
    other entry into this one; a later not_same or unsure on the same pair splits them again."""
    if verdict not in VERDICTS:
        raise UserError(f"未知判断：{verdict}", f"unknown verdict: {verdict}")
    entry = service.get_entry(db_session=db_session, entry_id=entry_id)
    if entry is None:
        raise UserError(f"黄牛库中无此条目：{entry_id}", f"no register entry {entry_id}")
    other = None
    if other_entry_id is not None:
        other = service.get_entry(db_session=db_session, entry_id=other_entry_id)
        if other is None or other.id == entry.id:
            raise UserError("比对条目无效", f"invalid entry to compare with: {other_entry_id}")
    judgement = BrokerJudgement(
        entry_id=entry.id,
        other_entry_id=other_entry_id,
        verdict=verdict,
        note=note.strip(),
        actor=actor,
        at=utcnow(),
    )
    db_session.add(judgement)
    db_session.flush()
    detail = {"judgement_id": judgement.id, "verdict": verdict, "other_entry_id": other_entry_id}
    service.add_event(db_session, entry, "judged", actor, detail, {"note": judgement.note} if note else None)
    if other is None:
        _apply_status(db_session, entry, actor)
    else:
        _apply_pair(db_session, entry, other, verdict, actor)
    return judgement


def _apply_status(db_session: Session, entry: BrokerEntry, actor: str) -> None:
    latest = db_session.scalar(
        select(BrokerJudgement)
        .where(BrokerJudgement.entry_id == entry.id, BrokerJudgement.other_entry_id.is_(None))
        .order_by(BrokerJudgement.id.desc())
        .limit(1)
    )
    status = "candidate" if latest is None else STATUS_OF_VERDICT[latest.verdict]
    if status != entry.status:
        service.add_event(db_session, entry, "status_changed", actor, {"from": entry.status, "to": status})
        entry.status = status
        entry.updated_at = utcnow()


def _apply_pair(
    db_session: Session, entry: BrokerEntry, other: BrokerEntry, verdict: str, actor: str
) -> None:
    pair = or_(
        and_(BrokerJudgement.entry_id == entry.id, BrokerJudgement.other_entry_id == other.id),
        and_(BrokerJudgement.entry_id == other.id, BrokerJudgement.other_entry_id == entry.id),
    )
    latest = db_session.scalar(
        select(BrokerJudgement).where(pair).order_by(BrokerJudgement.id.desc()).limit(1)
    )
    assert latest is not None  # the judgement just added
    if latest.verdict == "same":
        survivor = service.root_of(db_session, entry)
        if service.root_of(db_session, other).id == survivor.id:
            return  # already one person
        # The other entry's own root moves under this entry's root, so chains stay intact.
        moved = service.root_of(db_session, other)
        moved.merged_into_id = survivor.id
        moved.updated_at = utcnow()
        service.add_event(db_session, moved, "merged", actor, {"into": survivor.id})
        service.add_event(db_session, survivor, "merged", actor, {"absorbed": moved.id})
        return
    for child, parent in ((other, entry), (entry, other)):
        if child.merged_into_id == parent.id:
            child.merged_into_id = None
            child.updated_at = utcnow()
            service.add_event(db_session, child, "split", actor, {"from": parent.id})
            service.add_event(db_session, parent, "split", actor, {"released": child.id})

"""One subject's credit as a regulator or inspector may see it: records, scores, blacklist.

Our records are shown to holders of a grant covering the record's region and industry. Blacklist
entries are shown when their scope overlaps the grant's (a province-wide ban concerns every city in it).
The credit centre's lake records are published information and shown to every regulator and
inspector. Scores are published results too; each lists the items it was computed from that the
viewer may see.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tenderwatch.auth.models import Grant, User
from tenderwatch.common.identifiers import is_valid_id_number, normalise_id_number
from tenderwatch.credit import score, service
from tenderwatch.credit.lake import LakeCredit
from tenderwatch.credit.models import BlacklistEntry, CreditRecord
from tenderwatch.credit.schemas import EntryOut, RecordOut, ScoreItemOut, ScoreOut, SubjectOut

VIEWER_ROLES = ("regulator", "inspector")


def _grants(user: User) -> list[Grant]:
    return [g for g in user.grants if g.role in VIEWER_ROLES]


def sees_record(grants: list[Grant], region: str, industry: str) -> bool:
    return any(
        region.startswith(g.region_prefix) and (not g.industries or industry in g.industries) for g in grants
    )


def sees_scope(grants: list[Grant], scope_region: str, industries: list[str]) -> bool:
    def overlaps(g: Grant) -> bool:
        regions = scope_region.startswith(g.region_prefix) or g.region_prefix.startswith(scope_region)
        both = not industries or not g.industries or bool(set(industries) & set(g.industries))
        return regions and both

    return any(overlaps(g) for g in grants)


def visible_industries(grants: list[Grant]) -> list[str]:
    if any(not g.industries for g in grants):
        return list(service.industries())
    return [i for i in service.industries() if any(i in g.industries for g in grants)]


def subject_type_of(subject_id: str) -> str:
    """Person when the identifier is a valid ID number, else company (checked as a USCC)."""
    return "person" if is_valid_id_number(subject_id) else "company"


def entry_out(e: BlacklistEntry, withdrawn: str | None = None) -> EntryOut:
    return EntryOut(
        source=f"internal:credit_blacklist/{e.id}",
        status=e.status,
        restricted_actions=list(e.restricted_actions),
        scope_region=e.scope_region,
        industries=list(e.industries),
        start_date=e.start_date,
        end_date=e.end_date,
        reason=e.reason,
        legal_basis=e.legal_basis,
        decision_no=e.decision_no,
        withdrawn=withdrawn,
    )


def _withdrawals(db_session: Session, code: str) -> dict[int, str]:
    """Entry id → the reason (and document number) of its rejection or revocation."""
    out: dict[int, str] = {}
    for e in service.events_of(db_session=db_session, subject_id=code):
        if e.action in ("blacklist_rejected", "blacklist_revoked") and e.blacklist_id is not None:
            document = e.details.get("document_no")
            out[e.blacklist_id] = str(e.details.get("reason", "")) + (f"（{document}）" if document else "")
    return out


def _prior_decisions(
    db_session: Session, lake: LakeCredit, code: str, records: list[CreditRecord]
) -> dict[int, list[str]]:
    """Record id → decision numbers of the earlier findings its ``serious_marked`` event names."""
    names = {f"internal:credit_record/{r.id}": r.decision_no for r in records}
    names |= {
        f"lake:credit_records/{lr.record_id}": lr.decision_no or lr.record_id for lr in lake.records_of(code)
    }
    return {
        e.record_id: [names.get(source, source) for source in e.details.get("prior", [])]
        for e in service.events_of(db_session=db_session, subject_id=code)
        if e.action == "serious_marked" and e.record_id is not None
    }


def subject_view(
    *, db_session: Session, lake: LakeCredit, user: User, subject_id: str, on: date
) -> SubjectOut:
    kind = subject_type_of(subject_id)
    code = service.normalise_subject(
        kind, normalise_id_number(subject_id) if kind == "person" else subject_id
    )
    grants = _grants(user)
    records = service.records_of(db_session=db_session, subject_id=code)
    shown = [r for r in records if sees_record(grants, r.region_code, r.industry)]
    shown_sources = {f"internal:credit_record/{r.id}" for r in shown}
    prior = _prior_decisions(db_session, lake, code, records)
    out_records = [
        RecordOut(
            source=f"internal:credit_record/{r.id}",
            kind=r.kind,
            reason=r.reason,
            industry=r.industry,
            region_code=r.region_code,
            decision_no=r.decision_no,
            issuer=r.issuer,
            decided_on=r.decided_on,
            published_until=r.published_until,
            serious=r.serious,
            prior_decisions=prior.get(r.id, []),
        )
        for r in shown
    ] + [
        RecordOut(
            source=f"lake:credit_records/{lr.record_id}",
            kind="good" if lr.good else lr.kind,
            reason=lr.reason,
            industry=None,
            region_code=None,
            decision_no=lr.decision_no,
            issuer=lr.issuer,
            decided_on=lr.decided_on,
            published_until=None,
            serious=False,
        )
        for lr in lake.records_of(code)
    ]
    scores = []
    for industry in visible_industries(grants):
        s = score.score(industry=industry, on=on, records=records, lake=lake, subject_id=code)
        items = [
            ScoreItemOut(source=i.source, kind=i.kind, decided_on=i.decided_on, points=i.points)
            for i in s.items
            if not i.source.startswith("internal:") or i.source in shown_sources
        ]
        scores.append(ScoreOut(industry=industry, value=s.value, grade=s.grade, items=items))
    withdrawals = _withdrawals(db_session, code)
    entries = [
        entry_out(e, withdrawals.get(e.id))
        for e in service.blacklist_of(db_session=db_session, subject_id=code)
        if sees_scope(grants, e.scope_region, list(e.industries))
    ] + [
        EntryOut(
            source=f"lake:blacklist/{le.entry_id}",
            status="lake",  # the credit centre's entry; its own status is its period
            restricted_actions=sorted(le.actions),
            scope_region=le.scope_region,
            industries=[],
            start_date=le.start_date,
            end_date=le.end_date,
            reason=le.reason,
            legal_basis=None,
            decision_no=le.decision_no,
        )
        for le in lake.blacklist_of(code)
        if sees_scope(grants, le.scope_region, [])
    ]
    return SubjectOut(
        subject_type=kind, subject_id=code, as_of=on, records=out_records, scores=scores, blacklist=entries
    )

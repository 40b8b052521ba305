"""Who may decide on a blacklist entry: confirm or reject a proposal, revoke an active entry.

A ban is an administrative penalty, so it is decided by the supervising department that made the
finding, not by whoever can see the ban: a regulator whose grant covers the region and industry of the
record the proposal came from (a county's own bureau, or the city's or province's for the same
industry). An entry entered by hand (no record behind it) is decided by a regulator whose grant covers
its whole scope. Reviewers approve case conclusions, inspectors supervise, administrators run the
system: none of them imposes or lifts a penalty (docs/credit.md, "Deciding on the blacklist").
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenderwatch.auth.models import Grant, User
from tenderwatch.credit.models import BlacklistEntry, CreditRecord

DECIDER_ROLE = "regulator"


def _covers_finding(grant: Grant, record: CreditRecord) -> bool:
    return record.region_code.startswith(grant.region_prefix) and (
        not grant.industries or record.industry in grant.industries
    )


def _covers_scope(grant: Grant, entry: BlacklistEntry) -> bool:
    # The grant must reach everything the ban reaches: a city bureau cannot lift a province-wide ban.
    industries = list(entry.industries)
    return entry.scope_region.startswith(grant.region_prefix) and (
        not grant.industries or (bool(industries) and set(industries) <= set(grant.industries))
    )


def may_decide(*, db_session: Session, user: User, entry: BlacklistEntry) -> bool:
    record = db_session.get(CreditRecord, entry.record_id) if entry.record_id is not None else None
    grants = [g for g in user.grants if g.role == DECIDER_ROLE]
    if record is not None:
        return any(_covers_finding(g, record) for g in grants)
    return any(_covers_scope(g, entry) for g in grants)

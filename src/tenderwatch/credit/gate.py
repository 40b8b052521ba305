"""The credit gate (信用关口): may this subject register, buy tender documents or bid, here and now?

Blocked when any blacklist entry — ours (``active`` only) or the credit centre's in the lake — covers

- the subject (USCC or ID number, normalised),
- the action (``restricted_actions``),
- the date: ``start_date <= date <= end_date``, both inclusive; no end date means until revoked,
- the region: the project's 6-digit region starts with the entry's ``scope_region`` ("" = nationwide),
- the industry: the entry's industry list is empty (= all) or names the project's industry.

Lake entries carry no industry list and so cover every industry (一处违规、处处受限).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tenderwatch.credit import service
from tenderwatch.credit.lake import LakeCredit

ACTION_LABELS = {
    "register": ("主体注册/报名", "registration"),
    "buy_documents": ("获取招标文件", "buying tender documents"),
    "submit_bid": ("投标", "bid submission"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str
    source: str  # "internal:credit_blacklist/<id>" or "lake:blacklist/<entry_id>"
    until: date | None


@dataclass(frozen=True)
class GateResult:
    subject_id: str
    allowed: bool
    reasons: tuple[Reason, ...]


def covers(
    *,
    actions: frozenset[str] | list[str],
    scope_region: str,
    industries: list[str],
    start_date: date,
    end_date: date | None,
    action: str,
    region: str,
    industry: str,
    on: date,
) -> bool:
    """Whether an entry with this scope and period restricts ``action`` in ``region``/``industry`` on ``on``."""
    return (
        action in actions
        and start_date <= on
        and (end_date is None or on <= end_date)
        and region.startswith(scope_region or "")
        and (not industries or industry in industries)
    )


def _reason(action: str, what: str, basis_zh: str, source: str, until: date | None) -> Reason:
    label = ACTION_LABELS[action]
    end_zh = f"至{until}" if until else "（未定期限）"
    end_en = f"until {until}" if until else "(no end date)"
    return Reason(
        "blacklisted",
        f"{what}限制{label[0]}{end_zh}：{basis_zh}",
        f"The subject is blacklisted for {label[1]} {end_en}: {basis_zh}",
        source,
        until,
    )


def check(
    *,
    db_session: Session,
    lake: LakeCredit,
    subject_type: str,
    subject_id: str,
    action: str,
    region: str,
    industry: str,
    on: date,
) -> GateResult:
    """The gate's answer; raises ``UserError`` for an invalid identifier, region or industry."""
    code = service.normalise_subject(subject_type, subject_id)
    service.check_region(region, prefix=False)
    service.check_industry(industry)
    reasons: list[Reason] = []
    for entry in service.blacklist_of(db_session=db_session, subject_id=code):
        if entry.status == "active" and covers(
            actions=entry.restricted_actions,
            scope_region=entry.scope_region,
            industries=entry.industries,
            start_date=entry.start_date,
            end_date=entry.end_date,
            action=action,
            region=region,
            industry=industry,
            on=on,
        ):
            basis = f"{entry.reason}（{entry.decision_no}；{entry.legal_basis}）"
            reasons.append(
                _reason(action, "失信黑名单", basis, f"internal:credit_blacklist/{entry.id}", entry.end_date)
            )
    for lake_entry in lake.blacklist_of(code):
        if covers(
            actions=lake_entry.actions,
            scope_region=lake_entry.scope_region,
            industries=[],
            start_date=lake_entry.start_date,
            end_date=lake_entry.end_date,
            action=action,
            region=region,
            industry=industry,
            on=on,
        ):
            basis = f"{lake_entry.reason}（{lake_entry.decision_no or lake_entry.entry_id}）"
            reasons.append(
                _reason(
                    action,
                    "信用中心黑名单",
                    basis,
                    f"lake:blacklist/{lake_entry.entry_id}",
                    lake_entry.end_date,
                )
            )
    return GateResult(code, not reasons, tuple(reasons))

"""C33 · 失信与再犯 · Blacklisted bidder bidding, recidivism.

Methodology
    Every bid in scope is checked against the shared blacklist and the credit records, at the bid
    deadline. *Blacklisted*: the bidder — or its legal representative, or the project manager it names
    — is on the blacklist with a restriction on bidding (``restricted_actions`` mentions 投标), the
    period covers the bid deadline (an open end date means indefinite) and the restricted region
    (a region-code prefix; empty = everywhere) covers the section's region. *Recidivism*: the bidder
    has at least ``min_collusion_records`` bad-conduct records for collusion (串通投标, 围标串标, 行贿)
    decided in the ``lookback_years`` before the deadline — "two or more collusions within three years"
    is the "serious" case of Art. 67 that calls for disbarment.

Why it is a red flag
    "一处违规、处处受限": a barred firm must be stopped at registration or submission. A bid that got
    through means the credit gate failed (or a front firm is used); repeat collusion offenders are the
    likeliest to be colluding again.

Evidence
    The blacklist entry (reason, period, scope) or the credit records (reason, decision date) that
    match, with the bid. Red for a bid made while barred; orange for recidivism.

Exclusions
    Blacklist periods that ended before, or started after, the deadline; other regions' bans; bans on
    other actions; bad-conduct records for other matters (wages, site management); nulls never match.

Sources
    DOMAIN.md §5.7; Implementing Regulations Art. 67 and 68; Fujian ``BLACK_LIST`` fields
    (``lishanling/GGZY``); ``GY_TENDER_LIST.IS_LOST``.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

_COLLUSION = "(reason LIKE '%串通%' OR reason LIKE '%围标%' OR reason LIKE '%串标%' OR reason LIKE '%行贿%')"


class BlacklistedBidder(DetectionModel):
    __doc__ = __doc__
    ID = "C33"
    VERSION = 1
    NAME_ZH = "失信主体投标、串标再犯"
    NAME_EN = "Blacklisted bidder bidding, recidivism"
    CATEGORIES = ("credit",)
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第六十七条：3年内2次以上串通投标属情节严重，取消一年至二年投标资格",
            "Implementing Regulations Art. 67: colluding twice within 3 years is serious; 1–2 years' disbarment",
        ),
        LegalBasis(
            "联合惩戒：失信主体在限制期内不得参与依法必须招标项目投标",
            "Joint sanctions: a blacklisted subject may not bid for must-tender projects during the ban",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_collusion_records": Param(
            2, "认定再犯的串标不良记录数", "collusion records making a recidivist", 2
        ),
        "lookback_years": Param(3, "再犯回溯年数", "years looked back for collusion records", 1, 10),
    }
    DATASETS = ("bids", "sections", "blacklist", "credit_records", "companies", "bid_personnel")
    BENIGN = (
        ("黑名单已被撤销或提前移出（核对信用修复决定）", "The entry was revoked or repaired early"),
        ("同名或证件号录入错误", "A data-entry error in the subject's ID"),
    )
    SQL = f"""
WITH b AS (
    SELECT b.section_code, b.bidder_uscc, s.region_code, CAST(s.bid_deadline AS DATE) AS day
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.bidder_uscc IS NOT NULL AND s.bid_deadline IS NOT NULL
),
subjects AS (
    SELECT section_code, bidder_uscc, region_code, day, bidder_uscc AS subject_id, 'bidder' AS role FROM b
    UNION ALL
    SELECT b.section_code, b.bidder_uscc, b.region_code, b.day, c.legal_rep_id, 'legal_rep'
    FROM b JOIN companies c ON c.uscc = b.bidder_uscc WHERE c.legal_rep_id IS NOT NULL
    UNION ALL
    SELECT b.section_code, b.bidder_uscc, b.region_code, b.day, p.person_id, 'project_manager'
    FROM b JOIN bid_personnel p ON p.section_code = b.section_code AND p.bidder_uscc = b.bidder_uscc
    WHERE p.role = 'project_manager' AND p.person_id IS NOT NULL
),
barred AS (
    SELECT x.section_code, x.bidder_uscc, x.role, l.entry_id, l.subject_id, l.reason, l.start_date, l.end_date,
           COALESCE(l.scope_region, '') AS scope
    FROM subjects x JOIN blacklist l ON l.subject_id = x.subject_id
    WHERE l.start_date <= x.day AND (l.end_date IS NULL OR l.end_date >= x.day)
      AND l.restricted_actions LIKE '%投标%'
      AND substr(x.region_code, 1, length(COALESCE(l.scope_region, ''))) = COALESCE(l.scope_region, '')
),
collusion AS (
    SELECT b.section_code, b.bidder_uscc, r.record_id, r.reason, r.decided_on,
           COUNT(*) OVER (PARTITION BY b.section_code, b.bidder_uscc) AS n
    FROM b JOIN credit_records r ON r.subject_id = b.bidder_uscc
    WHERE r.kind = 'bad' AND {_COLLUSION}
      AND r.decided_on <= b.day AND r.decided_on > b.day - INTERVAL {{lookback_years}} YEAR
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id,
       'red' AS severity, 'blacklisted_' || role AS rule, 'blacklist' AS dataset, entry_id AS record_key,
       'subject_id/start_date/end_date/scope_region' AS field,
       subject_id || ' ' || CAST(start_date AS VARCHAR) || '~' || COALESCE(CAST(end_date AS VARCHAR), '')
           || ' ' || scope || ' ' || reason AS value
FROM barred
UNION ALL
SELECT section_code, 'section', section_code, bidder_uscc, 'orange', 'collusion_recidivist', 'credit_records',
       record_id, 'reason/decided_on', reason || ' ' || CAST(decided_on AS VARCHAR)
FROM collusion WHERE n >= {{min_collusion_records}}
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        who = "、".join(hit.entities)
        if any(r.startswith("blacklisted") for r in hit.rules):
            entry = next(e for e in hit.evidence if e.rule.startswith("blacklisted"))
            if locale.startswith("zh"):
                return f"投标人 {who} 在失信黑名单限制期内投标（{entry.value}）"
            return f"Bidder {who} bid while blacklisted ({entry.value})"
        n = len(hit.evidence)
        if locale.startswith("zh"):
            return f"投标人 {who} 三年内有 {n} 次串通投标不良记录（再犯）"
        return f"Bidder {who} has {n} collusion records within the look-back period (recidivist)"

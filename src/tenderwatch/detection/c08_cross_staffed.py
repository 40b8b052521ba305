"""C08 · 人员社保交叉 · Cross-staffed personnel.

Methodology
    For each bid, every person it names (``bid_personnel``: project manager, technical, safety and
    quality leads, team members and the authorised agent) is looked up in the monthly social-insurance
    records (``social_insurance``) for the months around the section's bid deadline: from
    ``months_before`` months before the deadline month to ``months_after`` months after it. When the
    pension contributions of a person named by bidder A were paid by *another bidder B of the same
    section* in at least ``min_months`` of those months, both A and B are reported. Requiring several
    months rules out a one-month payroll slip or a job change.

Why it is a red flag
    The person who prepares or will run bidder A's bid is on bidder B's payroll: the two competitors
    share staff, so the bids are not independent. Through the agent this is Art. 40(2) of the
    Implementing Regulations (one person handles both bids); through a project-management member it is
    Art. 40(3); either way the staff listing is also false (Art. 42, 资质挂靠).

Evidence
    The person in A's bid (``bid_personnel``, role in the record key) and B's contributions for that
    person (``social_insurance``: employer and the months paid). Red, or orange when the person is only
    a team member.

Exclusions
    Contributions by companies that do not bid in the section (C19 covers a third employer); fewer than
    ``min_months`` months in the window; a person whom the paying competitor also names in its own bid
    (one member named by both bids: reported once, by C07); null placeholders.

Sources
    DOMAIN.md §2 S11 (personnel of bidder A insured by bidder B in the same section: red; ≥ 3 months
    around the bid date), §3.1 (PERS-01).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class CrossStaffed(DetectionModel):
    __doc__ = __doc__
    ID = "C08"
    VERSION = 1
    NAME_ZH = "人员社保交叉"
    NAME_EN = "Cross-staffed personnel"
    CATEGORIES = ("collusion", "lending")
    SEVERITY = "red"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（二）、（三）项：委托同一单位或者个人办理投标事宜；"
            "项目管理成员为同一人",
            "Implementing Regulations Art. 40(2)/(3): bidding handled by the same person; the same "
            "project-management member",
        ),
        LegalBasis(
            "《招标投标法实施条例》第四十二条：提供虚假的项目负责人或者主要技术人员劳动关系证明",
            "Implementing Regulations Art. 42: false labour-relationship proof for key staff",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "months_before": Param(
            3, "投标截止月之前检查几个月", "months checked before the deadline month", 0, 12
        ),
        "months_after": Param(1, "投标截止月之后检查几个月", "months checked after the deadline month", 0, 6),
        "min_months": Param(
            3, "竞争对手至少缴纳几个月社保", "months the competitor must have paid", minimum=1, maximum=19
        ),
    }
    DATASETS = ("bid_personnel", "social_insurance", "bids", "sections")
    BENIGN = (
        (
            "劳务派遣或集团统一代缴（核实劳动合同与代缴协议）",
            "Labour dispatch or group payroll (check the labour contract and the payroll agreement)",
        ),
        (
            "人员已调动而社保转移滞后（核实调动时间）",
            "A transfer not yet reflected in social insurance (check the transfer date)",
        ),
    )
    SQL = """
WITH named AS (
    SELECT p.section_code, p.bidder_uscc, p.role, p.person_id,
           year(s.bid_deadline) * 12 + month(s.bid_deadline) AS bid_month
    FROM bid_personnel p JOIN sections_in_scope s ON p.section_code = s.section_code
    WHERE p.person_id IS NOT NULL
),
rivals AS (
    SELECT b.section_code, b.bidder_uscc FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
),
paid AS (
    SELECT person_id, employer_uscc, month,
           CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) AS m
    FROM social_insurance WHERE employer_uscc IS NOT NULL AND month IS NOT NULL
      -- only the months of persons named in scope: the months are parsed for them, not the market
      AND person_id IN (SELECT person_id FROM named)
),
crossed AS (
    SELECT n.section_code, n.bidder_uscc AS a_uscc, n.role, n.person_id, r.bidder_uscc AS b_uscc,
           COUNT(DISTINCT p.m) AS months, MIN(p.month) AS first_month, MAX(p.month) AS last_month
    FROM named n
    JOIN rivals r ON r.section_code = n.section_code AND r.bidder_uscc <> n.bidder_uscc
    JOIN paid p ON p.person_id = n.person_id AND p.employer_uscc = r.bidder_uscc
     AND p.m BETWEEN n.bid_month - {months_before} AND n.bid_month + {months_after}
    GROUP BY n.section_code, n.bidder_uscc, n.role, n.person_id, r.bidder_uscc
    HAVING COUNT(DISTINCT p.m) >= {min_months}
),
-- A person the paying competitor names in its own bid too is one member named twice: C07 reports it.
own_named AS (SELECT DISTINCT section_code, bidder_uscc, person_id FROM named),
rated AS (
    SELECT c.*, CASE WHEN c.role = 'member' THEN 'orange' ELSE 'red' END AS severity
    FROM crossed c LEFT JOIN own_named o
      ON o.section_code = c.section_code AND o.bidder_uscc = c.b_uscc AND o.person_id = c.person_id
    WHERE o.person_id IS NULL
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, a_uscc AS entity_id, severity,
       'staff_insured_by_competitor' AS rule, 'bid_personnel' AS dataset,
       section_code || '|' || a_uscc || '|' || role || '|' || person_id AS record_key, 'person_id' AS field,
       person_id AS value
FROM rated
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, 'staff_insured_by_competitor',
       'social_insurance', person_id || '|' || first_month || '|' || b_uscc, 'employer_uscc', b_uscc
FROM rated
UNION ALL
SELECT section_code, 'section', section_code, b_uscc, severity, 'staff_insured_by_competitor',
       'social_insurance', person_id || '|' || first_month || '|' || b_uscc, 'month',
       first_month || '..' || last_month || ' (' || CAST(months AS VARCHAR) || ')'
FROM rated
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        named = sorted({(e.entity_id, e.value) for e in hit.evidence if e.dataset == "bid_personnel"})
        payers = sorted({e.value for e in hit.evidence if e.field == "employer_uscc"})
        people = "、".join(p for _, p in named)
        firms = "、".join(a for a, _ in named)
        if locale.startswith("zh"):
            return f"投标人{firms}列明的人员（{people}）由同标段投标人{'、'.join(payers)}缴纳社保"
        return (
            f"Staff named by bidder {', '.join(a for a, _ in named)} ({people.replace('、', ', ')}) are "
            f"insured by competing bidder {', '.join(payers)}"
        )

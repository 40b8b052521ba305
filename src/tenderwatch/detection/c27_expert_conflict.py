"""C27 · 专家与投标人关联、回避 · Expert–bidder conflict and recurrence.

Methodology
    For every expert on a section's panel (except the tenderer's own representative, whose employer is
    the tenderer by design) the employer is compared with the bidders of that section:
    the employer recorded in the expert pool (``experts.employer_uscc``), and every employer that paid
    the expert's social insurance in the ``lookback_months`` before the bid deadline (the recusal rule
    looks back three years). *Conflict* (red): that employer is a bidder, or is directly related to a
    bidder — same legal representative, or one holds shares in the other. *Recurrence* (orange): across
    the whole history the expert sat on at least ``min_recurrences`` panels of sections one firm bid
    in, at least ``min_lift`` times as often as the expert's share of panels predicts
    (panels of the expert × bids of the firm / all panels).

Why it is a red flag
    An expert who evaluates the bid of their own (or a related) employer must recuse; not doing so is
    the classic channel for a biased evaluation. An expert who keeps being drawn for one firm's
    sections points at a manipulated random draw.

Evidence
    The expert row (``experts``) or the social-insurance months (``social_insurance``), the bidder, and
    the relation (``companies``, ``shareholders``); for recurrence the counts and the lift.
    The implicated entity is the expert; each evidence value names the bidder concerned.

Exclusions
    The tenderer's representative (owner_rep); employers that are not bidders of the section nor
    related to one; insurance months outside the look-back; nulls never match.

Sources
    DOMAIN.md §4.1 EVAL-04/EVAL-05 and §1.6 (recusal within three years); Implementing Regulations
    Art. 46; GP Implementing Regulations Art. 9.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class ExpertConflict(DetectionModel):
    __doc__ = __doc__
    ID = "C27"
    VERSION = 1
    NAME_ZH = "专家与投标人关联、回避"
    NAME_EN = "Expert–bidder conflict and recurrence"
    CATEGORIES = ("evaluation",)
    SEVERITY = "red"
    ENTITY = "person"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十六条：与投标人有利害关系的人不得进入评标委员会",
            "Implementing Regulations Art. 46: persons with an interest in a bidder may not sit on the panel",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "lookback_months": Param(36, "社保回溯月数", "months of social insurance looked back", 1, 120),
        "min_recurrences": Param(
            6, "同一企业标段的最少共同出现次数", "minimum panels in one firm's sections", 2
        ),
        "min_lift": Param(20.0, "超出随机抽取期望的倍数", "times the count a random draw predicts", 1.0),
    }
    DATASETS = ("experts", "bids", "sections", "social_insurance", "companies", "shareholders")
    BENIGN = (
        (
            "专家已离职且超过回避期限（核对劳动合同与社保）",
            "The expert left the firm before the recusal period",
        ),
        ("专业领域专家稀少，多次抽中属正常", "A rare specialism makes repeated draws normal"),
    )
    SQL = """
WITH panel AS (
    SELECT e.section_code, e.expert_id, e.employer_uscc, s.bid_deadline
    FROM experts e JOIN sections_in_scope s ON e.section_code = s.section_code
    WHERE e.expert_id IS NOT NULL AND COALESCE(e.expert_type, '') <> 'owner_rep'
),
employers AS (
    SELECT section_code, expert_id, employer_uscc, 'experts' AS dataset,
           section_code || '|' || expert_id AS record_key, 'employer_uscc' AS field, employer_uscc AS value
    FROM panel WHERE employer_uscc IS NOT NULL
    UNION ALL
    SELECT p.section_code, p.expert_id, si.employer_uscc, 'social_insurance',
           si.person_id || '|' || si.month || '|' || si.employer_uscc, 'month', si.month
    FROM panel p JOIN social_insurance si ON si.person_id = p.expert_id
    WHERE si.employer_uscc IS NOT NULL
      AND si.month <= substr(CAST(CAST(p.bid_deadline AS DATE) AS VARCHAR), 1, 7)
      AND si.month > substr(CAST(CAST(p.bid_deadline - INTERVAL {lookback_months} MONTH AS DATE) AS VARCHAR), 1, 7)
),
related AS (
    SELECT uscc AS a, uscc AS b, 'employer_is_bidder' AS rule FROM companies
    UNION ALL
    SELECT x.uscc, y.uscc, 'employer_same_legal_rep' FROM companies x JOIN companies y
      ON x.legal_rep_id = y.legal_rep_id AND x.uscc <> y.uscc
    UNION ALL
    SELECT company_uscc, holder_id, 'employer_shareholding' FROM shareholders WHERE holder_type = 'company'
    UNION ALL
    SELECT holder_id, company_uscc, 'employer_shareholding' FROM shareholders WHERE holder_type = 'company'
),
conflict AS (
    SELECT DISTINCT m.section_code, m.expert_id, b.bidder_uscc,
           CASE WHEN m.employer_uscc = b.bidder_uscc THEN 'employer_is_bidder' ELSE r.rule END AS rule,
           m.dataset, m.record_key, m.field, m.value
    FROM employers m
    JOIN bids b ON b.section_code = m.section_code AND b.bidder_uscc IS NOT NULL
    LEFT JOIN related r ON r.a = m.employer_uscc AND r.b = b.bidder_uscc
    WHERE m.employer_uscc = b.bidder_uscc OR r.rule IS NOT NULL
),
draws AS (SELECT DISTINCT section_code, expert_id FROM experts
          WHERE expert_id IS NOT NULL AND COALESCE(expert_type, '') <> 'owner_rep'),
together AS (
    SELECT d.expert_id, b.bidder_uscc, COUNT(*) AS n FROM draws d JOIN bids b ON b.section_code = d.section_code
    WHERE b.bidder_uscc IS NOT NULL GROUP BY d.expert_id, b.bidder_uscc
),
recurrent AS (
    SELECT t.expert_id, t.bidder_uscc, t.n,
           CAST(x.panels AS DOUBLE) * CAST(f.bids AS DOUBLE) / CAST(a.sections AS DOUBLE) AS expected
    FROM together t
    JOIN (SELECT expert_id, COUNT(*) AS panels FROM draws GROUP BY expert_id) x ON x.expert_id = t.expert_id
    JOIN (SELECT bidder_uscc, COUNT(*) AS bids FROM bids GROUP BY bidder_uscc) f ON f.bidder_uscc = t.bidder_uscc
    CROSS JOIN (SELECT COUNT(DISTINCT section_code) AS sections FROM draws) a
    WHERE t.n >= {min_recurrences}
),
recur_hits AS (
    SELECT p.section_code, r.expert_id, r.bidder_uscc, r.n, r.expected
    FROM recurrent r JOIN panel p ON p.expert_id = r.expert_id
    JOIN bids b ON b.section_code = p.section_code AND b.bidder_uscc = r.bidder_uscc
    WHERE r.n >= {min_lift} * r.expected
),
rows AS (
    SELECT section_code, expert_id, bidder_uscc, 'red' AS severity, rule, dataset, record_key, field, value
    FROM conflict
    UNION ALL
    SELECT section_code, expert_id, bidder_uscc, 'orange', 'expert_recurrence', 'experts',
           section_code || '|' || expert_id, 'expert_id',
           CAST(n AS VARCHAR) || ' panels with ' || bidder_uscc || ', expected '
               || CAST(ROUND(expected, 2) AS VARCHAR)
    FROM recur_hits
)
-- ENTITY is the person: the expert is the implicated entity, the bidder is named in the value.
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, expert_id AS entity_id, severity,
       rule, dataset, record_key, field, 'bidder ' || bidder_uscc || ': ' || value AS value FROM rows
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        who = "、".join(hit.entities)
        if any(r != "expert_recurrence" for r in hit.rules):
            if locale.startswith("zh"):
                return f"标段 {hit.subject_id} 的评标专家 {who} 受雇于投标人或其关联企业，应回避"
            return f"Section {hit.subject_id}: expert {who} works for a bidder or a related firm"
        if locale.startswith("zh"):
            return f"标段 {hit.subject_id} 的评标专家与投标人反复同场，远超随机抽取预期（{who}）"
        return f"Section {hit.subject_id}: an expert is drawn for one bidder's sections far beyond chance ({who})"

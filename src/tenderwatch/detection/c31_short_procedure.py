"""C31 · 时限异常 · Short or irregular procedure.

Methodology
    Each works section (building, transport, water: whatever procedure is recorded, works on the
    trading platform follow the tendering periods) and each open or invited tender in scope is checked against the statutory minimum periods,
    counted in calendar days between the dates of the recorded times:
    the bid period from the announcement to the bid deadline (at least ``min_bid_days`` = 20 days,
    Bidding Law Art. 24; the same 20 days apply to open government-procurement tenders), the sale period
    of the tender documents (at least ``min_sale_days`` = 5 days, Implementing Regulations Art. 16) and
    the publication of the winning candidates (at least ``min_publicity_days`` = 3 days, Art. 54).
    Government-procurement negotiation, consultation and request-for-quotation procedures have their
    own, shorter periods and are not checked. The implicated entity is the tenderer, who sets the timetable.

Why it is a red flag
    Shortened periods keep outsiders from preparing a bid (or from objecting to the result) while a
    favoured bidder that knew in advance is ready; they are a classic companion of pre-arranged awards.

Evidence
    The section's two times or dates and the number of days between them, from ``sections``; the
    tenderer from ``tender_projects``. Orange for each period that is too short.

Exclusions
    Non-tender procurement procedures (negotiation, consultation, inquiry); missing times (nulls never match).
    Emergency procurement or a re-tender with an approved shortened period must be ruled out by the
    verifier.

Sources
    DOMAIN.md §4.5 TIME-01/TIME-02; Bidding Law Art. 24; Implementing Regulations Art. 16 and Art. 54;
    OCP R003 (short submission period).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class ShortProcedure(DetectionModel):
    __doc__ = __doc__
    ID = "C31"
    VERSION = 1
    NAME_ZH = "时限异常"
    NAME_EN = "Short or irregular procedure"
    CATEGORIES = ("evaluation",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法》第二十四条：自招标文件开始发出之日起至提交投标文件截止之日止，最短不得少于二十日",
            "Bidding Law Art. 24: at least 20 days from issuing the tender documents to the bid deadline",
        ),
        LegalBasis(
            "《招标投标法实施条例》第十六条（发售期不得少于5日）、第五十四条（中标候选人公示期不得少于3日）",
            "Implementing Regulations Art. 16 (document sale ≥ 5 days) and Art. 54 (candidates published ≥ 3 days)",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_bid_days": Param(
            20, "公告至投标截止最少天数", "minimum days from announcement to bid deadline", 1
        ),
        "min_sale_days": Param(5, "招标文件发售期最少天数", "minimum days of tender-document sale", 1),
        "min_publicity_days": Param(3, "中标候选人公示最少天数", "minimum days of candidate publication", 1),
    }
    DATASETS = ("sections", "tender_projects")
    BENIGN = (
        ("经批准的应急采购或重新招标缩短时限", "Emergency procurement or an approved shortened re-tender"),
        ("数据录入时间错误（核对公告原文）", "A data-entry error in the recorded times (check the notice)"),
    )
    SQL = """
WITH s AS (
    SELECT s.section_code, s.announce_time, s.doc_issue_start, s.doc_issue_end, s.bid_deadline,
           s.candidate_pub_start, s.candidate_pub_end, p.tenderer_uscc
    FROM sections_in_scope s JOIN tender_projects p ON s.tender_project_code = p.tender_project_code
    -- Works on the trading platform follow the tendering periods whatever the recorded procedure;
    -- government procurement only in open or invited tenders (its other methods have shorter periods).
    WHERE (s.procedure IN ('open', 'invited') OR s.industry IN ('building', 'transport', 'water'))
      AND p.tenderer_uscc IS NOT NULL
),
periods AS (
    SELECT section_code, tenderer_uscc, 'short_bid_period' AS rule, 'announce_time/bid_deadline' AS field,
           date_diff('day', CAST(announce_time AS DATE), CAST(bid_deadline AS DATE)) AS days,
           {min_bid_days} AS minimum
    FROM s WHERE announce_time IS NOT NULL AND bid_deadline IS NOT NULL
    UNION ALL
    SELECT section_code, tenderer_uscc, 'short_doc_sale', 'doc_issue_start/doc_issue_end',
           date_diff('day', CAST(doc_issue_start AS DATE), CAST(doc_issue_end AS DATE)), {min_sale_days}
    FROM s WHERE doc_issue_start IS NOT NULL AND doc_issue_end IS NOT NULL
    UNION ALL
    SELECT section_code, tenderer_uscc, 'short_publicity', 'candidate_pub_start/candidate_pub_end',
           date_diff('day', candidate_pub_start, candidate_pub_end), {min_publicity_days}
    FROM s WHERE candidate_pub_start IS NOT NULL AND candidate_pub_end IS NOT NULL
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, tenderer_uscc AS entity_id,
       'orange' AS severity, rule, 'sections' AS dataset, section_code AS record_key, field,
       CAST(days AS VARCHAR) || ' < ' || CAST(minimum AS VARCHAR) AS value
FROM periods
WHERE days < minimum
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = {
            "short_bid_period": "投标期",
            "short_doc_sale": "招标文件发售期",
            "short_publicity": "候选人公示期",
        }
        found = "、".join(f"{zh.get(e.rule, e.rule)} {e.value} 天" for e in hit.evidence)
        if locale.startswith("zh"):
            return f"标段 {hit.subject_id} 的{found}，短于法定最短时限（招标人 {'、'.join(hit.entities)}）"
        found_en = ", ".join(f"{e.rule.replace('_', ' ')} {e.value} days" for e in hit.evidence)
        return (
            f"Section {hit.subject_id}: {found_en}, below the statutory minimum "
            f"(tenderer {', '.join(hit.entities)})"
        )

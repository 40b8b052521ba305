"""C29 · 化整为零、规避招标 · Threshold splitting.

Methodology
    Works sections (building, transport, water) whose control price lies just below the must-tender
    threshold for works (``threshold`` = ¥4,000,000, NDRC Order No. 16), in the band
    [``band`` × threshold, threshold), are grouped per tenderer: two such sections are linked when they
    belong to the same approved investment project (``tender_projects.project_code``) or were announced
    within ``window_days`` of each other. A section is flagged when, with the near-threshold sections
    linked to it, the tenderer has at least ``min_sections`` of them — together they exceed the
    threshold that each one avoids — and the section itself was let by a procedure other than open
    tender (invitation, negotiation …): that is the obligation avoided. Parts that were still tendered
    openly count towards the group but are not flagged.

Why it is a red flag
    Splitting one works package into parts that each stay under the threshold (化整为零) evades the
    obligation to tender, and is how a tenderer hands contracts to a chosen firm by invitation or
    negotiation (Bidding Law Art. 4; Implementing Regulations Art. 24).

Evidence
    Each linked section's control price, procedure, announcement date and investment project code,
    from ``sections`` and ``tender_projects``; the implicated entity is the tenderer. Orange.

Exclusions
    Openly tendered sections; sections outside the band; fewer than ``min_sections`` linked sections;
    goods and services
    (their thresholds differ); missing prices or tenderers (nulls never match).

Sources
    DOMAIN.md §4.4 SPLIT-01; NDRC Order No. 16 (2018) thresholds; Fujian rule WG0201
    (``lishanling/GGZY`` ``初始化.sql``); ``Zeppelinpp/ContractGraph`` ``is_near_threshold`` (5 % band).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class ThresholdSplitting(DetectionModel):
    __doc__ = __doc__
    ID = "C29"
    VERSION = 1
    NAME_ZH = "化整为零、规避招标"
    NAME_EN = "Threshold splitting"
    CATEGORIES = ("evaluation",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法》第四条：任何单位和个人不得将依法必须进行招标的项目化整为零或者以其他任何方式规避招标",
            "Bidding Law Art. 4: no one may split a must-tender project or otherwise evade tendering",
        ),
        LegalBasis(
            "《必须招标的工程项目规定》（国家发改委令第16号）：施工单项合同估算价400万元人民币以上必须招标",
            "NDRC Order No. 16: works contracts estimated at ¥4 million or more must be tendered",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "threshold": Param(4000000, "施工必须招标限额（元）", "must-tender threshold for works (yuan)", 1),
        "band": Param(
            0.9, "临界区间下限（限额的比例）", "lower edge of the near-threshold band (share)", 0.5, 0.99
        ),
        "window_days": Param(30, "关联时间窗口（天）", "days within which announcements are linked", 1),
        "min_sections": Param(3, "最少临界标段数", "minimum linked near-threshold sections", 2),
    }
    DATASETS = ("sections", "tender_projects")
    BENIGN = (
        (
            "各标段确属不同项目、不同批复且无法合并（核查立项批复与概算）",
            "Genuinely separate projects that cannot be combined",
        ),
        ("分期建设且每期单独批复", "Phased construction with separate approvals"),
    )
    SQL = """
WITH near AS (
    -- History from all sections: the other parts may lie outside the scope of this run.
    SELECT s.section_code, s.procedure, s.control_price, s.announce_time, p.tenderer_uscc, p.project_code
    FROM sections s JOIN tender_projects p ON s.tender_project_code = p.tender_project_code
    WHERE s.industry IN ('building', 'transport', 'water') AND p.tenderer_uscc IS NOT NULL
      AND s.control_price >= {band} * {threshold} AND s.control_price < {threshold}
      AND s.announce_time IS NOT NULL
),
linked AS (
    SELECT a.section_code, a.procedure AS own_procedure, b.section_code AS other, b.procedure,
           b.control_price, b.announce_time, b.project_code, a.tenderer_uscc
    FROM near a JOIN near b ON a.tenderer_uscc = b.tenderer_uscc
    WHERE a.section_code = b.section_code OR a.project_code = b.project_code
       OR (b.announce_time <= a.announce_time + INTERVAL {window_days} DAY
           AND a.announce_time <= b.announce_time + INTERVAL {window_days} DAY)
),
groups AS (
    SELECT section_code, tenderer_uscc, COUNT(*) AS n FROM linked GROUP BY section_code, tenderer_uscc
)
SELECT l.section_code, 'section' AS subject_type, l.section_code AS subject_id, l.tenderer_uscc AS entity_id,
       'orange' AS severity,
       CASE WHEN l.section_code = l.other THEN 'near_threshold' ELSE 'linked_section' END AS rule,
       'sections' AS dataset, l.other AS record_key, 'control_price/procedure/announce_time/project_code' AS field,
       CAST(l.control_price AS VARCHAR) || ' ' || l.procedure || ' ' || CAST(CAST(l.announce_time AS DATE) AS VARCHAR)
           || ' ' || COALESCE(l.project_code, '') AS value
FROM linked l JOIN groups g ON l.section_code = g.section_code AND l.tenderer_uscc = g.tenderer_uscc
JOIN sections_in_scope s ON l.section_code = s.section_code
WHERE g.n >= {min_sections} AND l.own_procedure <> 'open'
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        n = len(hit.evidence)
        who = "、".join(hit.entities)
        if locale.startswith("zh"):
            return f"招标人 {who} 的标段 {hit.subject_id} 与其余 {n - 1} 个标段均略低于必须招标限额，疑似化整为零"
        return (
            f"Tenderer {who}: section {hit.subject_id} and {n - 1} linked sections each sit just below "
            "the must-tender threshold (possible splitting)"
        )

"""C25 · 天地分 · Extreme spread of technical scores.

Methodology
    For every bidder of a section scored by at least ``min_experts`` experts, the spread of its technical
    (subjective) scores across the panel, max − min, is compared with the section's scale. The catalogue
    does not carry the technical points available, so the scale is the highest technical score any
    expert gave in the section (a lower bound of the points available, robust to a section whose
    technical part is worth 30 or 60 points rather than 50). The bidder is flagged when the spread
    exceeds ``spread_share`` of that scale (0.6: one expert near the top, another near the bottom; a
    single expert lifting a bidder 0.3 of the range above a panel that agrees is C24), and also
    exceeds ``panel_factor`` times the median spread of the section's other bidders, so a panel that
    disagrees about everybody (a vague scoring guide) does not count.

Why it is a red flag
    One expert awarding near-full marks and another near zero for the same proposal cannot both be
    applying the published criteria (Implementing Regulations Art. 49): it is the "heaven and earth
    score" (天地分) by which an expert forces or blocks a bidder. Jiangshan's supervisory platform warns
    on exactly this pattern.

Evidence
    The bidder's highest and lowest technical score with the experts who gave them (``expert_scores``;
    the record key names the expert), the spread and the section's scale. Orange.

Exclusions
    Price-only methods (no technical scores); bidders scored by fewer than ``min_experts`` experts; null
    scores.

Sources
    DOMAIN.md §4.1 EVAL-02 (max − min > X % of the subjective range; robust statistics for small
    panels); Jiangshan 天地分 warning type (DOMAIN.md §0); Implementing Regulations Art. 49, 71.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class ExtremeScoreSpread(DetectionModel):
    __doc__ = __doc__
    ID = "C25"
    VERSION = 1
    NAME_ZH = "天地分"
    NAME_EN = "Extreme spread of technical scores"
    CATEGORIES = ("evaluation",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十九条、第七十一条：评标委员会成员应当按照招标文件规定的评标标准和方法客观公正评审",
            "Implementing Regulations Art. 49, 71: experts must score by the published criteria, objectively",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "spread_share": Param(
            0.6,
            "极差占技术分满分（以标段最高分近似）的比例",
            "spread as a share of the section's top score",
            0.1,
            1.0,
        ),
        "panel_factor": Param(
            3.0,
            "极差相对其他投标人极差中位数的倍数",
            "spread relative to the other bidders' median spread",
            1.0,
        ),
        "min_experts": Param(3, "最少评分专家数", "minimum experts scoring the bidder", minimum=2),
    }
    DATASETS = ("expert_scores", "sections")
    BENIGN = (
        ("评分细则含主观档次、专家理解差异大", "A vague scoring guide with wide subjective bands"),
        ("某专家发现了其他专家未注意的重大缺陷", "One expert found a serious defect the others missed"),
    )
    SQL = """
WITH sc AS (
    SELECT e.section_code, e.expert_id, e.bidder_uscc, CAST(e.technical_score AS DOUBLE) AS t
    FROM expert_scores e JOIN sections_in_scope s ON e.section_code = s.section_code
    WHERE e.technical_score IS NOT NULL AND e.expert_id IS NOT NULL AND e.bidder_uscc IS NOT NULL
),
per_bidder AS (
    SELECT section_code, bidder_uscc, MAX(t) - MIN(t) AS spread, MAX(t) AS hi, MIN(t) AS lo, COUNT(*) AS k
    FROM sc GROUP BY section_code, bidder_uscc
),
scale AS (SELECT section_code, MAX(t) AS top FROM sc GROUP BY section_code HAVING MAX(t) > 0),
ranked AS (
    SELECT p.*, s.top,
           row_number() OVER (PARTITION BY p.section_code ORDER BY p.spread, p.bidder_uscc) AS rn,
           COUNT(*) OVER (PARTITION BY p.section_code) AS nb
    FROM per_bidder p JOIN scale s ON s.section_code = p.section_code
    WHERE p.k >= {min_experts}
),
-- The median spread of the *other* bidders: the middle of the n - 1 values left without this one.
others AS (
    SELECT a.section_code, a.bidder_uscc, AVG(b.spread) AS median_other
    FROM ranked a JOIN ranked b ON a.section_code = b.section_code AND a.bidder_uscc <> b.bidder_uscc
    WHERE (CASE WHEN b.rn > a.rn THEN b.rn - 1 ELSE b.rn END) IN (CAST(floor(a.nb / 2.0) AS BIGINT),
                                                               CAST(floor((a.nb + 1) / 2.0) AS BIGINT))
    GROUP BY a.section_code, a.bidder_uscc
),
flagged AS (
    SELECT r.*, o.median_other FROM ranked r
    JOIN others o ON o.section_code = r.section_code AND o.bidder_uscc = r.bidder_uscc
    WHERE r.spread > {spread_share} * r.top AND r.spread > {panel_factor} * o.median_other
),
ends AS (
    SELECT f.section_code, f.bidder_uscc, sc.expert_id, sc.t, f.spread, f.top,
           CASE WHEN sc.t = f.hi THEN 'highest_score' ELSE 'lowest_score' END AS rule
    FROM flagged f JOIN sc ON sc.section_code = f.section_code AND sc.bidder_uscc = f.bidder_uscc
    WHERE sc.t = f.hi OR sc.t = f.lo
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id,
       'orange' AS severity, rule, 'expert_scores' AS dataset,
       section_code || '|' || expert_id || '|' || bidder_uscc AS record_key, 'technical_score' AS field,
       CAST(CAST(ROUND(t, 2) AS DECIMAL(8, 2)) AS VARCHAR) || ' (spread '
           || CAST(CAST(ROUND(spread, 2) AS DECIMAL(8, 2)) AS VARCHAR) || ' of top '
           || CAST(CAST(ROUND(top, 2) AS DECIMAL(8, 2)) AS VARCHAR) || ')' AS value
FROM ends
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        hi = next((e for e in hit.evidence if e.rule == "highest_score"), None)
        lo = next((e for e in hit.evidence if e.rule == "lowest_score"), None)
        if hi is None or lo is None:
            return super().explain(hit, locale)
        h_exp, l_exp = hi.record_key.split("|")[1], lo.record_key.split("|")[1]
        if locale.startswith("zh"):
            return (
                f"投标人{hi.entity_id}的技术分：专家{h_exp}给{hi.value.split(' ')[0]}分，"
                f"专家{l_exp}给{lo.value.split(' ')[0]}分（{lo.value.split('(')[1].rstrip(')')}）"
            )
        return (
            f"Bidder {hi.entity_id}: expert {h_exp} scored {hi.value.split(' ')[0]}, "
            f"expert {l_exp} {lo.value.split(' ')[0]} ({lo.value.split('(')[1].rstrip(')')})"
        )

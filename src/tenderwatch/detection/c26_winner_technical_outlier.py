"""C26 · 明招暗定 · Winner's technical score an outlier.

Methodology
    For each section scored by experts with a known winner (awards, else the bid ranked 1), every
    bidder's technical (subjective) score is taken over the panel as the trimmed mean (the highest and
    the lowest expert's score dropped, as Chinese evaluation rules often do, when at least five experts
    scored), and its business (objective: credentials, performance, credit) score is averaged. The
    winner is flagged when its technical score lies at least ``min_z`` standard deviations above the
    mean of the other bidders' (z-score over at least ``min_others`` rivals) while its objective
    standing is weak: at most ``max_share_below`` of the rivals have a lower business score (the
    winner is in the bottom quarter on credentials) and its business score is at most
    ``max_business_ratio`` of the rivals' mean (clearly weaker, not level with the field).

    This is the panel-wide pattern: the whole panel lifts the winner. One expert lifting one bidder is
    C24 (expert favouritism); the trimmed mean keeps that single score out of this model.

Why it is a red flag
    A firm with weak objective credentials that nevertheless scores far above everyone on the
    subjective part is the classic "open tender, decided in private" (明招暗定) pattern: the subjective
    points were used to place a pre-selected winner (Bidding Law Art. 43, Implementing Regulations
    Art. 41: tenderer–bidder collusion; Art. 49 for the experts).

Evidence
    The winner's trimmed-mean technical and mean business scores, the rivals' technical mean and the
    z-score (``expert_scores``). Orange.

Exclusions
    Price-only methods (no technical scores); sections with fewer than ``min_others`` rivals scored or
    no spread among the rivals; winners whose business score is not clearly at the bottom of the field (a
    strong firm that also writes the best proposal is not suspicious).

Sources
    DOMAIN.md §4.1 EVAL-03 (winner's subjective score > mean + z·σ while objective items not
    top-ranked, the Jiangshan 明招暗定 warning); Implementing Regulations Art. 41, 49.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class WinnerTechnicalOutlier(DetectionModel):
    __doc__ = __doc__
    ID = "C26"
    VERSION = 1
    NAME_ZH = "明招暗定（中标人技术分异常）"
    NAME_EN = "Winner's technical score an outlier"
    CATEGORIES = ("evaluation",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十一条：招标人与投标人串通投标；第四十九条：评标委员会客观公正评审",
            "Implementing Regulations Art. 41 (tenderer–bidder collusion) and Art. 49 (objective evaluation)",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_z": Param(2.0, "中标人技术分高于其他投标人的标准差倍数", "winner's technical z-score", 1.0),
        "max_share_below": Param(
            0.25,
            "商务得分低于中标人的其他投标人比例上限",
            "largest share of rivals with a lower business score than the winner",
            0.0,
            1.0,
        ),
        "max_business_ratio": Param(
            0.75,
            "中标人商务得分与其他投标人平均商务得分之比上限",
            "largest ratio of the winner's business score to the rivals' mean",
            0.0,
            1.0,
        ),
        "min_others": Param(3, "最少其他投标人数", "minimum rivals scored", minimum=2),
    }
    DATASETS = ("expert_scores", "bids", "awards", "sections")
    BENIGN = (
        ("新进入市场但技术方案确实优秀的企业", "A newcomer with a genuinely superior proposal"),
        ("其他投标人技术方案普遍粗糙", "The rivals' proposals were uniformly poor"),
    )
    SQL = """
WITH raw AS (
    SELECT e.section_code, e.bidder_uscc, CAST(ROUND(e.technical_score * 100) AS BIGINT) AS t,
           CAST(ROUND(e.business_score * 100) AS BIGINT) AS b
    FROM expert_scores e JOIN sections_in_scope s ON e.section_code = s.section_code
    WHERE e.technical_score IS NOT NULL AND e.bidder_uscc IS NOT NULL
),
sc AS (
    -- Panel scores in ten-thousandths of a point, integers: exact sums, and formatting without the
    -- engines' different rounding of a double's .xx5. The technical score is the panel's trimmed mean
    -- (the highest and the lowest expert dropped, 去掉一个最高分和一个最低分, with ≥ 5 experts): one
    -- favouring expert (C24) or one extreme score (C25) does not make a panel-wide outlier.
    SELECT section_code, bidder_uscc,
           CAST(ROUND(CASE WHEN COUNT(*) >= 5 THEN (SUM(t) - MAX(t) - MIN(t)) * 100.0 / (COUNT(*) - 2)
                           ELSE SUM(t) * 100.0 / COUNT(*) END) AS BIGINT) AS tech,
           CAST(ROUND(SUM(b) * 100.0 / COUNT(*)) AS BIGINT) AS biz
    FROM raw GROUP BY section_code, bidder_uscc
),
winner AS (
    SELECT a.section_code, a.winner_uscc FROM awards a WHERE a.winner_uscc IS NOT NULL
    UNION
    SELECT b.section_code, b.bidder_uscc FROM bids b
    WHERE b.rank = 1 AND b.section_code NOT IN (SELECT section_code FROM awards WHERE winner_uscc IS NOT NULL)
),
stats AS (
    SELECT w.section_code, w.winner_uscc, x.tech, x.biz, CAST(ROUND(AVG(o.tech)) AS BIGINT) AS others_tech,
           stddev_samp(o.tech) AS others_sd, COUNT(*) AS rivals,
           SUM(CASE WHEN o.biz < x.biz THEN 1 ELSE 0 END) AS below_biz,
           CAST(ROUND(AVG(o.biz)) AS BIGINT) AS others_biz
    FROM winner w
    JOIN sc x ON x.section_code = w.section_code AND x.bidder_uscc = w.winner_uscc
    JOIN sc o ON o.section_code = w.section_code AND o.bidder_uscc <> w.winner_uscc
    WHERE x.tech > 0 AND x.biz IS NOT NULL AND o.biz IS NOT NULL
    GROUP BY w.section_code, w.winner_uscc, x.tech, x.biz
),
flagged AS (
    SELECT s.*, (s.tech - s.others_tech) / NULLIF(s.others_sd, 0) AS z FROM stats s
    WHERE s.rivals >= {min_others} AND s.others_sd > 0
      AND (s.tech - s.others_tech) / NULLIF(s.others_sd, 0) >= {min_z}
      -- weak objective standing: at most a share of the rivals have a lower business score
      AND s.below_biz <= {max_share_below} * s.rivals
      -- and clearly below the field's typical business score, not just level with it
      AND s.biz <= {max_business_ratio} * s.others_biz
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, winner_uscc AS entity_id,
       'orange' AS severity, 'winner_technical_outlier' AS rule, 'expert_scores' AS dataset,
       section_code || '|' || winner_uscc AS record_key, 'technical_score' AS field,
       'technical ' || CAST(CAST(ROUND(CAST(tech AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || ' vs rivals '
           || CAST(CAST(ROUND(CAST(others_tech AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || ' (z '
           || CAST(CAST(ROUND(z, 2) AS DECIMAL(8, 2)) AS VARCHAR) || '); business '
           || CAST(CAST(ROUND(CAST(biz AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || ', ' || CAST(rivals - below_biz AS VARCHAR)
           || ' of ' || CAST(rivals AS VARCHAR) || ' rivals at least as high' AS value
FROM flagged
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        value = hit.evidence[0].value if hit.evidence else ""
        if locale.startswith("zh"):
            return f"中标人{hit.entities[0]}的技术分远高于其他投标人，而商务（客观）得分并不靠前（{value}）"
        return f"The winner {hit.entities[0]} scored far above the rivals on technical merit, not on credentials ({value})"

"""C24 · 专家评分偏离 · Expert favouritism deviation.

Methodology
    For every section scored by experts, each expert's technical (subjective) score of each bidder is
    compared with the median of the other experts' scores of that bidder:
    d(e, b) = s(e, b) − median over e' ≠ e of s(e', b). The median, not the mean, is the panel's view:
    one extreme score elsewhere on the panel (a 天地分 "earth" score, reported by C25) does not make the
    other experts look lenient. The deviation is measured against the technical points available,
    approximated by the highest technical score given in the section (the catalogue does not carry the
    points available). An expert is flagged when, for exactly one bidder, d ≥ ``min_share`` × that
    scale, while the same expert's mean deviation over all the other bidders is ≤ ``rivals_max`` (≤ 0
    by default: "pull up one, push down or ignore the rivals"). Requiring the rivals' *mean* rather
    than every rival's deviation to be ≤ 0 keeps a single noisy rival score from hiding the pattern. A
    generally lenient expert (high on everybody) is not flagged: the rivals' mean would be positive.
    ``min_share`` is 0.25, a little above DOMAIN's 0.15–0.20: with five-expert panels the ordinary
    disagreement of one expert with the rest reaches 0.20 of the range often enough to bury the cases.

    The favour must have decided something: the favoured bidder won the section (awards, or rank 1),
    DOMAIN's condition for flagging the project. A large lift for a bidder that lost anyway changed no
    outcome and is treated as ordinary disagreement within the panel. Red.

Why it is a red flag
    Evaluation experts must score independently and by the published method (Implementing Regulations
    Art. 49); an expert who lifts one bidder far above the rest of the panel, and not the others, is
    steering the outcome (Art. 71: experts who favour or disfavour a bidder are punished).

Evidence
    For the expert (the implicated person): the favoured bidder, the expert's score of it, the other
    experts' median and the deviation (``expert_scores``), and the expert's mean deviation over the
    rivals.

Exclusions
    Favoured bidders that did not win; price-only methods (no technical scores: all zero); sections with fewer than ``min_experts``
    experts or fewer than three scored bidders; null scores.

Sources
    DOMAIN.md §4.1 EVAL-01 (评分偏离度, leave-one-out deviation ≥ k of the range, rivals ≤ 0, favoured
    bidder wins; robust statistics for small panels);
    DOMAIN.md §1.6 (expert misconduct); Implementing Regulations Art. 49, 71.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class ExpertFavouritism(DetectionModel):
    __doc__ = __doc__
    ID = "C24"
    VERSION = 2
    NAME_ZH = "专家评分偏离"
    NAME_EN = "Expert favouritism deviation"
    CATEGORIES = ("evaluation",)
    SEVERITY = "red"
    ENTITY = "person"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十九条、第七十一条：评标委员会成员应当客观、公正地履行职责，不得倾向或者排斥特定投标人",
            "Implementing Regulations Art. 49, 71: experts must evaluate objectively and not favour a bidder",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_share": Param(
            0.25,
            "对被偏袒投标人的偏离占技术分满分（以标段最高分近似）的比例下限",
            "least deviation for the favoured bidder, as a share of the section's top technical score",
            0.05,
            1.0,
        ),
        "rivals_max": Param(
            0.0, "对其他投标人平均偏离上限", "largest mean deviation over the rivals (points)", -20.0, 20.0
        ),
        "min_experts": Param(3, "最少评标专家数", "minimum experts scoring the section", minimum=3),
    }
    DATASETS = ("expert_scores", "bids", "awards", "sections")
    BENIGN = (
        (
            "专家专业方向不同，对某一技术方案理解更深",
            "The expert's specialism lets them judge one proposal better",
        ),
        ("其他专家普遍打分偏低或未认真评审", "The rest of the panel scored carelessly or uniformly low"),
    )
    SQL = """
WITH sc AS (
        -- Scores in hundredths of a point as integers: sums are exact, so both engines agree to the digit.
    SELECT e.section_code, e.expert_id, e.bidder_uscc, CAST(ROUND(e.technical_score * 100) AS BIGINT) AS t
    FROM expert_scores e JOIN sections_in_scope s ON e.section_code = s.section_code
    WHERE e.technical_score IS NOT NULL AND e.expert_id IS NOT NULL AND e.bidder_uscc IS NOT NULL
),
scored AS (
    SELECT section_code FROM sc GROUP BY section_code
    HAVING MAX(t) > 0 AND COUNT(DISTINCT expert_id) >= {min_experts} AND COUNT(DISTINCT bidder_uscc) >= 3
),
ranked AS (
    SELECT sc.*, row_number() OVER (PARTITION BY section_code, bidder_uscc ORDER BY t, expert_id) AS rn,
           COUNT(*) OVER (PARTITION BY section_code, bidder_uscc) AS k
    FROM sc WHERE section_code IN (SELECT section_code FROM scored)
),
-- The median of the *other* experts' scores of the bidder: the middle of the k - 1 values left without
-- this expert (robust: one extreme score elsewhere on the panel, a 天地分, does not move it).
others AS (
    SELECT a.section_code, a.expert_id, a.bidder_uscc, a.t,
           CAST(SUM(b.t) * 100 / COUNT(*) AS BIGINT) AS med4
    FROM ranked a JOIN ranked b ON a.section_code = b.section_code AND a.bidder_uscc = b.bidder_uscc
                               AND a.expert_id <> b.expert_id
    WHERE a.k >= {min_experts}
      AND (CASE WHEN b.rn > a.rn THEN b.rn - 1 ELSE b.rn END) IN (CAST(floor(a.k / 2.0) AS BIGINT),
                                                               CAST(floor((a.k + 1) / 2.0) AS BIGINT))
    GROUP BY a.section_code, a.expert_id, a.bidder_uscc, a.t
),
-- The scale: the highest technical score given in the section (a lower bound of the points available).
scale AS (SELECT section_code, MAX(t) AS top FROM sc GROUP BY section_code),
dev AS (
    SELECT o.section_code, o.expert_id, o.bidder_uscc, o.t * 100 AS t4, o.med4 AS loo4,
           o.t * 100 - o.med4 AS d4, x.top * 100 AS top4
    FROM others o JOIN scale x ON x.section_code = o.section_code
),
per_expert AS (
    SELECT section_code, expert_id,
           SUM(CASE WHEN d4 >= {min_share} * top4 THEN 1 ELSE 0 END) AS lifted, SUM(d4) AS sum_d, COUNT(*) AS m
    FROM dev GROUP BY section_code, expert_id
),
fav AS (
    SELECT d.section_code, d.expert_id, d.bidder_uscc, d.t4, d.loo4, d.d4,
           CAST(ROUND((x.sum_d - d.d4) * 1.0 / NULLIF(x.m - 1, 0)) AS BIGINT) AS rivals4
    FROM dev d JOIN per_expert x ON x.section_code = d.section_code AND x.expert_id = d.expert_id
    WHERE x.lifted = 1 AND d.d4 >= {min_share} * d.top4 AND x.m >= 3
      AND (x.sum_d - d.d4) <= 10000 * {rivals_max} * (x.m - 1)
),
graded AS (
    SELECT f.*, 'red' AS severity,
           -- formatted from integers through decimals: rounding a double's .xx5 differs by engine
           CAST(CAST(ROUND(CAST(f.t4 AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || ' vs others'' median '
               || CAST(CAST(ROUND(CAST(f.loo4 AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || ' (+'
               || CAST(CAST(ROUND(CAST(f.d4 AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) || '); rivals '
               || CAST(CAST(ROUND(CAST(f.rivals4 AS DECIMAL(18, 0)) * 0.0001, 2) AS DECIMAL(18, 2)) AS VARCHAR) AS value
    FROM fav f
    -- The favour must have mattered: the favoured bidder won (award, or ranked first). A lift for a
    -- bidder that still lost changed nothing and is ordinary disagreement among experts.
    WHERE EXISTS (SELECT 1 FROM awards a WHERE a.section_code = f.section_code AND a.winner_uscc = f.bidder_uscc)
       OR EXISTS (SELECT 1 FROM bids b WHERE b.section_code = f.section_code
                                         AND b.bidder_uscc = f.bidder_uscc AND b.rank = 1)
),
-- Entities are the experts (persons); the favoured bidder is named in the record key and the value.
rows_out AS (
    SELECT section_code, expert_id AS entity, severity, 'favouring_expert' AS rule, expert_id, bidder_uscc,
           'bidder ' || bidder_uscc || ': ' || value AS value
    FROM graded
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, entity AS entity_id, severity, rule,
       'expert_scores' AS dataset, section_code || '|' || expert_id || '|' || bidder_uscc AS record_key,
       'technical_score' AS field, value
FROM rows_out
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        pairs = sorted({e.record_key for e in hit.evidence if e.rule == "favouring_expert"})
        value = next((e.value for e in hit.evidence if e.rule == "favouring_expert"), "")
        who = [(k.split("|")[1], k.split("|")[2]) for k in pairs]
        if locale.startswith("zh"):
            text = "；".join(f"专家{e}给投标人{b}的技术分远高于其他专家" for e, b in who)
            return f"{text}（{value}），对其他投标人则不高于平均"
        text = "; ".join(f"expert {e} scored bidder {b} far above the rest of the panel" for e, b in who)
        return f"{text} ({value}), and not the rivals"

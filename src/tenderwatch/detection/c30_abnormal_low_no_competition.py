"""C30 · 异常低价、无竞争 · Abnormally low bid or no competition.

Methodology
    Five rules within each section, on valid (not disqualified) bids with a price:

    * ``abnormally_low``: a bid below ``alpha`` × the mean of the other valid bids (at least
      ``min_others`` others, so the mean means something). Orange when that bid won (awards, or rank 1),
      yellow otherwise: a below-cost winner is the one that leads to change orders and claims.
    * ``no_price_competition``: every valid bid (at least two) lies within ``ceiling_margin`` of the
      control price: nobody competed on price, the field bid the ceiling. All bidders are implicated.
    * ``award_at_or_above_estimate``: the award price is at or above the section's estimate (or above the
      control price, which no valid bid may exceed). The winner is implicated.
    * ``single_bid``: the section received exactly one bid (OCDS R018). A section where all but one bid
      was disqualified is C32's pattern (R035) and is left to it.
    * ``price_screens`` (off unless ``screen_cv_max`` > 0): at least ``screen_min_bids`` valid bids whose
      coefficient of variation is below ``screen_cv_max`` while the relative distance RD (gap between
      the two lowest bids over the losing bids' sd) exceeds ``screen_rd_min``: the field is bunched and
      the lowest bid stands apart. Screens as defined in ``tenderwatch.screens`` (docs/screens.md), the
      same SQL the per-section view reproduces in Python. Yellow: a screen is a pointer, not proof.

Why it is a red flag
    Bidding Law Art. 33 forbids bidding below cost, and Implementing Regulations Art. 51(5) requires such a
    bid to be rejected; a winner far below the field often recovers the difference through variations.
    The opposite, a field that does not compete at all, is the typical result of a ring that has agreed
    the winner and lets the price rise to the ceiling (Art. 39: bidders agreeing prices).

Evidence
    The bid price (``bids``) with the mean of the others or its share of the control price; the award
    price and estimate (``awards``, ``sections``); the number of bids received.

Exclusions
    Disqualified bids; sections with fewer than ``min_others`` + 1 valid bids for the low-bid rule; the
    all-but-one-disqualified pattern (C32); bids and estimates without a value.

Sources
    Imhof (2017) and Huber & Imhof (2019) for the CV / RD screens (low CV with high RD marks cover
    bids in Swiss cartels). DOMAIN.md §4.2 PRICE-01 (bid < α × mean of the other compliant bids, α ≈ 0.8) and PRICE-02 (award at or
    above the estimate or control price); OCDS R018 single bid received, R058 heavily discounted bid
    (``open-contracting/cardinal-rs``); ``gulmezeren2-byte/ihalent`` (``low_discount``).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param
from tenderwatch.screens.sql import screens_ctes


class AbnormalLowNoCompetition(DetectionModel):
    __doc__ = __doc__
    ID = "C30"
    VERSION = 1
    NAME_ZH = "异常低价、无竞争"
    NAME_EN = "Abnormally low bid or no competition"
    CATEGORIES = ("evaluation", "performance")
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法》第三十三条：投标人不得以低于成本的报价竞标；《招标投标法实施条例》第五十一条第（五）项",
            "Bidding Law Art. 33 (no bids below cost); Implementing Regulations Art. 51(5)",
        ),
        LegalBasis(
            "《招标投标法实施条例》第三十九条：投标人之间协商投标报价等投标文件的实质性内容",
            "Implementing Regulations Art. 39: bidders agreeing prices or other substantive content",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "alpha": Param(0.8, "低于其他有效报价均值的比例", "fraction of the others' mean price", 0.3, 1.0),
        "min_others": Param(
            2, "计算均值所需的其他有效报价数", "other valid bids needed for the mean", minimum=1
        ),
        "ceiling_margin": Param(
            0.01,
            "全部报价距最高投标限价的幅度",
            "all bids within this fraction of the control price",
            0.0,
            0.1,
        ),
        # Off by default: the synthetic province has no planted screen pattern to measure precision on.
        "screen_cv_max": Param(
            0.0,
            "报价变异系数上限（0 关闭筛查规则）",
            "CV below which bids count as bunched (0 = rule off)",
            0.0,
            1.0,
        ),
        "screen_rd_min": Param(
            1.0,
            "最低两价差与落标报价标准差之比下限",
            "RD above which the lowest bid stands apart",
            0.0,
            100.0,
        ),
        "screen_min_bids": Param(
            4, "筛查所需的最少有效报价数", "valid bids needed for the screens", minimum=3
        ),
    }
    DATASETS = ("bids", "sections", "awards")
    BENIGN = (
        (
            "投标人有成本优势（自有材料、设备、在附近施工）并能书面说明",
            "A documented cost advantage (own materials, plant, a nearby site)",
        ),
        ("最高投标限价偏低，市场价接近限价", "A tight control price close to the market price"),
        ("专业性强、潜在投标人少的项目", "A specialised job with few possible bidders"),
    )
    SQL = (
        """
WITH b AS (
    SELECT b.section_code, b.bidder_uscc, b.bid_price, b.rank, COALESCE(b.disqualified, FALSE) AS disq,
           s.control_price, s.estimate_price
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.bid_price IS NOT NULL
),
v AS (
    SELECT b.*, COUNT(*) OVER (PARTITION BY section_code) AS n,
           SUM(CAST(bid_price AS DOUBLE)) OVER (PARTITION BY section_code) AS total,
           MIN(CAST(bid_price AS DOUBLE) / NULLIF(CAST(control_price AS DOUBLE), 0)) OVER (PARTITION BY section_code) AS low
    FROM b WHERE NOT disq
),
won AS (SELECT section_code, winner_uscc, award_price FROM awards WHERE winner_uscc IS NOT NULL),
low_bid AS (
    SELECT v.section_code, v.bidder_uscc,
           CASE WHEN w.winner_uscc IS NOT NULL OR v.rank = 1 THEN 'orange' ELSE 'yellow' END AS severity,
           'abnormally_low' AS rule, 'bids' AS dataset, 'bid_price' AS field,
           CAST(v.bid_price AS VARCHAR) || ' < ' || CAST({alpha} AS VARCHAR) || ' x '
               || CAST(CAST(ROUND((v.total - CAST(v.bid_price AS DOUBLE)) / NULLIF(v.n - 1, 0), 2) AS DECIMAL(18, 2))
                       AS VARCHAR) AS value
    FROM v LEFT JOIN won w ON w.section_code = v.section_code AND w.winner_uscc = v.bidder_uscc
    WHERE v.n >= {min_others} + 1
      AND CAST(v.bid_price AS DOUBLE) < {alpha} * (v.total - CAST(v.bid_price AS DOUBLE)) / NULLIF(v.n - 1, 0)
),
ceiling AS (
    SELECT section_code, bidder_uscc, 'orange' AS severity, 'no_price_competition' AS rule, 'bids' AS dataset,
           'bid_price' AS field,
           CAST(bid_price AS VARCHAR) || ' / ' || CAST(control_price AS VARCHAR) AS value
    FROM v WHERE n >= 2 AND control_price > 0 AND low >= 1 - {ceiling_margin}
),
estimate AS (
    SELECT w.section_code, w.winner_uscc AS bidder_uscc, 'orange' AS severity,
           'award_at_or_above_estimate' AS rule, 'awards' AS dataset, 'award_price' AS field,
           CAST(w.award_price AS VARCHAR) || ' >= ' || CAST(COALESCE(s.estimate_price, s.control_price) AS VARCHAR)
               AS value
    FROM won w JOIN sections_in_scope s ON s.section_code = w.section_code
    WHERE w.award_price IS NOT NULL
      AND ((s.estimate_price > 0 AND w.award_price >= s.estimate_price)
           OR (s.control_price > 0 AND w.award_price > s.control_price))
),
screen_input AS (SELECT section_code, bid_price AS price FROM v WHERE {screen_cv_max} > 0),
"""
        + screens_ctes("screen_input")
        + """,
screened AS (
    SELECT v.section_code, v.bidder_uscc, 'yellow' AS severity, 'price_screens' AS rule, 'bids' AS dataset,
           'bid_price' AS field,
           'CV=' || CAST(CAST(ROUND(s.cv, 4) AS DECIMAL(18, 4)) AS VARCHAR)
               || ' RD=' || CAST(CAST(ROUND(s.rd, 2) AS DECIMAL(18, 2)) AS VARCHAR) AS value
    FROM v JOIN scr s ON s.section_code = v.section_code
    WHERE s.n >= {screen_min_bids} AND s.cv < {screen_cv_max} AND s.rd > {screen_rd_min}
),
single AS (
    SELECT section_code, MIN(bidder_uscc) AS bidder_uscc, 'yellow' AS severity, 'single_bid' AS rule,
           'bids' AS dataset, 'bidder_uscc' AS field, '1 bid received' AS value
    FROM b GROUP BY section_code HAVING COUNT(*) = 1
),
found AS (
    SELECT * FROM low_bid UNION ALL SELECT * FROM ceiling UNION ALL SELECT * FROM estimate
    UNION ALL SELECT * FROM single UNION ALL SELECT * FROM screened
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id, severity,
       rule, dataset, section_code || '|' || bidder_uscc AS record_key, field, value
FROM found
"""
    )

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        zh = locale.startswith("zh")
        who = ("、" if zh else ", ").join(hit.entities)
        values = "; ".join(sorted({e.value for e in hit.evidence}))
        texts = {
            "abnormally_low": (
                "{w}的报价明显低于其他有效报价均值（{v}）",
                "{w} bid far below the others' mean ({v})",
            ),
            "no_price_competition": (
                "全部有效报价均贴近最高投标限价，无价格竞争（{w}）",
                "Every valid bid sits at the control price: no price competition ({w})",
            ),
            "award_at_or_above_estimate": (
                "中标价不低于估算价（{v}）",
                "The award is at or above the estimate ({v})",
            ),
            "single_bid": ("标段仅{w}一家投标", "Only {w} bid for the section"),
            "price_screens": (
                "有效报价异常集中而最低价明显偏离其余报价（{v}）：{w}",
                "Bids bunched together with the lowest set apart from the rest ({v}): {w}",
            ),
        }
        zh_text, en_text = texts[hit.rules[0]]
        return (zh_text if zh else en_text).format(w=who, v=values)

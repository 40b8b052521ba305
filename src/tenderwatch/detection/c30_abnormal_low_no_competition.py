"""C30 · 异常低价、无竞争 · Abnormally low bid or no competition.

Methodology
    Four rules within each section, on valid (not disqualified) bids with a price:

    * ``abnormally_low``: a bid below ``alpha`` × the mean of the other valid bids (at least
      ``min_others`` others, so the mean means something). Orange when that bid won (awards, or rank 1),
      yellow otherwise: a below-cost winner is the one that leads to change orders and claims.
    * ``no_price_competition``: every valid bid (at least two) lies within ``ceiling_margin`` of the
      control price: nobody competed on price, the field bid the ceiling. All bidders are implicated.
    * ``award_at_or_above_estimate``: the award price is at or above the section's estimate (or above the
      control price, which no valid bid may exceed). The winner is implicated.
    * ``single_bid``: the section received exactly one bid (OCDS R018). A section where all but one bid
      was disqualified is C32's pattern (R035) and is left to it.

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
    DOMAIN.md §4.2 PRICE-01 (bid < α × mean of the other compliant bids, α ≈ 0.8) and PRICE-02 (award at or
    above the estimate or control price); OCDS R018 single bid received, R058 heavily discounted bid
    (``open-contracting/cardinal-rs``); ``gulmezeren2-byte/ihalent`` (``low_discount``).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


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
    SQL = """
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
single AS (
    SELECT section_code, MIN(bidder_uscc) AS bidder_uscc, 'yellow' AS severity, 'single_bid' AS rule,
           'bids' AS dataset, 'bidder_uscc' AS field, '1 bid received' AS value
    FROM b GROUP BY section_code HAVING COUNT(*) = 1
),
found AS (
    SELECT * FROM low_bid UNION ALL SELECT * FROM ceiling UNION ALL SELECT * FROM estimate
    UNION ALL SELECT * FROM single
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id, severity,
       rule, dataset, section_code || '|' || bidder_uscc AS record_key, field, value
FROM found
"""

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
        }
        zh_text, en_text = texts[hit.rules[0]]
        return (zh_text if zh else en_text).format(w=who, v=values)

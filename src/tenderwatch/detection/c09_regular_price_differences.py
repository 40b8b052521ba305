"""C09 · 报价规律性差异 · Regular price differences.

Methodology
    Within each section the valid (not disqualified) bid prices are sorted. Two tests run:

    * Whole field: all n ≥ ``min_bids_field`` sorted prices form an arithmetic progression (coefficient of
      variation of the successive differences below ``cv_field``) or a geometric one (CV of the
      successive log-ratios below ``cv_field``).
    * Subset: any four bids of the section whose prices form such a progression with a much tighter
      tolerance ``cv_subset``. Colluders who derive "competing" prices from one formula often do it for
      only part of the field while honest bids fall in between, so the field test misses them; but a
      search over every four-bid subset finds coincidental near-progressions in honest data at the
      whole-field tolerance (in a synthetic province of 30,000 bids, hundreds of sections at CV 0.05), so the subset test
      asks for what a formula gives: steps equal up to rounding (CV 0.0002 ≈ rounding to the yuan).
      Four prices have only three steps, so four-bid fields are judged by the subset tolerance too
      (three steps agree within 5 % by chance too often).

    The geometric test uses the CV of ln(p[k+1]/p[k]), i.e. of the growth rates: the CV of the ratios
    themselves is ≈ 0 for any closely spaced prices and says nothing.

Why it is a red flag
    Independent bidders do not price in a fixed step or a fixed percentage of each other. A progression
    means one hand set the prices (Implementing Regulations Art. 40(4): bids showing abnormal regular
    differences are deemed collusive).

Evidence
    For each bidder of a progression: its bid price from ``bids``, the rule (arithmetic or geometric,
    field or subset) and, in the value, the step. Orange.

Exclusions
    Fewer than ``min_bids`` valid bids (three prices always lie on some line; the DOMAIN pitfall);
    progressions whose every term is a whole or half percentage of the control price (bidders that each
    take a round discount off the published control price, e.g. × 0.95 / 0.96 / 0.97 / 0.98);
    disqualified bids; bids without a price.

Sources
    DOMAIN.md §2 S8 (arithmetic CV < 0.05, geometric progressions, n ≥ 4, round-discount pitfall);
    ``yjiao286/xingyicha-bid-rigging-detection`` (等差数列与规律性差异);
    ``leixingti/bid-analysis-system`` ``price_analysis.py``.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

# A price lies on the control price's half-percent grid (control × 0.950, 0.955, …) to 0.001 %.
_ROUND = "abs(p * 200.0 / control - round(p * 200.0 / control)) < 0.002"


def _cv(a: str, b: str, c: str) -> str:
    """Sample coefficient of variation of three values (portable: no arrays, no ^ which is XOR on Spark)."""
    m = f"(({a}) + ({b}) + ({c})) / 3.0"
    dev = " + ".join(f"(({x}) - {m}) * (({x}) - {m})" for x in (a, b, c))
    return f"sqrt(({dev}) / 2.0) / NULLIF({m}, 0)"


class RegularPriceDifferences(DetectionModel):
    __doc__ = __doc__
    ID = "C09"
    VERSION = 1
    NAME_ZH = "报价规律性差异"
    NAME_EN = "Regular price differences"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（四）项：不同投标人的投标文件异常一致或者投标报价呈规律性差异",
            "Implementing Regulations Art. 40(4): bid files abnormally identical or prices in regular differences",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_bids": Param(4, "构成数列的最少报价数", "minimum number of prices in a progression", minimum=4),
        "min_bids_field": Param(
            5, "整体检验所需的最少有效报价数", "minimum valid bids for the whole-field test", minimum=4
        ),
        "cv_field": Param(
            0.05, "全部报价差值（或比率）变异系数上限", "CV limit for the whole sorted field", 0.0, 0.2
        ),
        "cv_subset": Param(
            0.0002, "任意四家报价子集的变异系数上限", "CV limit for any four-bid subset", 0.0, 0.05
        ),
    }
    DATASETS = ("bids", "sections")
    BENIGN = (
        (
            "投标人各自按最高投标限价取整下浮（如95%、96%、97%）",
            "Each bidder took a round discount off the published control price",
        ),
        ("合理低价法等评标办法下报价自然集中", "Prices cluster under reasonable-low-price methods"),
    )
    SQL = f"""
WITH v AS (
    SELECT b.section_code, b.bidder_uscc, CAST(b.bid_price AS DOUBLE) AS p, b.bid_price,
           CAST(s.control_price AS DOUBLE) AS control
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.bid_price IS NOT NULL AND b.bid_price > 0 AND NOT COALESCE(b.disqualified, FALSE)
),
sorted AS (
    SELECT v.*, row_number() OVER (PARTITION BY section_code ORDER BY p, bidder_uscc) AS rn,
           COUNT(*) OVER (PARTITION BY section_code) AS n,
           CASE WHEN control > 0 AND {_ROUND} THEN 1 ELSE 0 END AS on_grid
    FROM v
),
steps AS (
    SELECT a.section_code, b.p - a.p AS d, ln(b.p / a.p) AS g
    FROM sorted a JOIN sorted b ON a.section_code = b.section_code AND b.rn = a.rn + 1
),
field AS (
    SELECT st.section_code,
           stddev_samp(d) / NULLIF(avg(d), 0) AS cv_a, stddev_samp(g) / NULLIF(avg(g), 0) AS cv_g, avg(d) AS step_a, avg(g) AS step_g
    FROM steps st
    GROUP BY st.section_code
    HAVING MIN(d) > 0 AND COUNT(*) + 1 >= {{min_bids_field}}
),
field_hits AS (
    SELECT s.section_code, s.bidder_uscc, s.bid_price,
           CASE WHEN f.cv_a <= f.cv_g THEN 'field_arithmetic' ELSE 'field_geometric' END AS rule,
           CASE WHEN f.cv_a <= f.cv_g THEN 'step=' || CAST(CAST(ROUND(f.step_a, 2) AS DECIMAL(18, 2)) AS VARCHAR)
                ELSE 'ratio=' || CAST(CAST(ROUND(exp(f.step_g), 4) AS DECIMAL(10, 4)) AS VARCHAR) END AS detail
    FROM field f JOIN sorted s ON s.section_code = f.section_code
    WHERE (f.cv_a < {{cv_field}} OR f.cv_g < {{cv_field}})
      AND s.n >= {{min_bids_field}}
      AND f.section_code IN (SELECT section_code FROM sorted GROUP BY section_code HAVING MIN(on_grid) = 0)
),
q AS (
    -- Four increasing prices a < b < c < d; the joins keep only near-equal steps or near-equal ratios.
    SELECT a.section_code, a.bidder_uscc AS ua, b.bidder_uscc AS ub, c.bidder_uscc AS uc, d.bidder_uscc AS ud,
           b.p - a.p AS d1, c.p - b.p AS d2, d.p - c.p AS d3,
           ln(b.p / a.p) AS g1, ln(c.p / b.p) AS g2, ln(d.p / c.p) AS g3,
           a.on_grid + b.on_grid + c.on_grid + d.on_grid AS grid
    FROM sorted a
    JOIN sorted b ON b.section_code = a.section_code AND b.p > a.p
    JOIN sorted c ON c.section_code = a.section_code AND c.p > b.p
     AND (abs((c.p - b.p) - (b.p - a.p)) <= 0.2 * (b.p - a.p)
          OR abs(ln(c.p / b.p) - ln(b.p / a.p)) <= 0.2 * ln(b.p / a.p))
    JOIN sorted d ON d.section_code = a.section_code AND d.p > c.p
     AND (abs((d.p - c.p) - (c.p - b.p)) <= 0.2 * (c.p - b.p)
          OR abs(ln(d.p / c.p) - ln(c.p / b.p)) <= 0.2 * ln(c.p / b.p))
    WHERE a.n >= {{min_bids}}
),
qcv AS (
    SELECT q.*, {_cv("d1", "d2", "d3")} AS cv_a, {_cv("g1", "g2", "g3")} AS cv_g FROM q WHERE grid < 4
),
subset AS (
    SELECT section_code, ua, ub, uc, ud,
           CASE WHEN cv_a <= cv_g THEN 'subset_arithmetic' ELSE 'subset_geometric' END AS rule,
           CASE WHEN cv_a <= cv_g THEN 'step=' || CAST(CAST(ROUND((d1 + d2 + d3) / 3.0, 2) AS DECIMAL(18, 2)) AS VARCHAR)
                ELSE 'ratio=' || CAST(CAST(ROUND(exp((g1 + g2 + g3) / 3.0), 4) AS DECIMAL(10, 4)) AS VARCHAR) END AS detail
    FROM qcv WHERE cv_a < {{cv_subset}} OR cv_g < {{cv_subset}}
),
members AS (
    SELECT section_code, ua AS bidder_uscc, rule, detail FROM subset
    UNION SELECT section_code, ub, rule, detail FROM subset
    UNION SELECT section_code, uc, rule, detail FROM subset
    UNION SELECT section_code, ud, rule, detail FROM subset
),
found AS (
    SELECT m.section_code, m.bidder_uscc, s.bid_price, m.rule, m.detail
    FROM members m JOIN sorted s ON s.section_code = m.section_code AND s.bidder_uscc = m.bidder_uscc
    UNION SELECT section_code, bidder_uscc, bid_price, rule, detail FROM field_hits
)
SELECT DISTINCT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id,
       'orange' AS severity, rule, 'bids' AS dataset, section_code || '|' || bidder_uscc AS record_key,
       'bid_price' AS field, CAST(bid_price AS VARCHAR) || ' (' || detail || ')' AS value
FROM found
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        prices = "、".join(sorted({f"{e.entity_id}={e.value}" for e in hit.evidence}))
        geometric = any("geometric" in r for r in hit.rules)
        if locale.startswith("zh"):
            kind = "等比数列" if geometric else "等差数列"
            return f"标段{hit.subject_id}中{len(hit.entities)}家投标人的报价构成{kind}（{prices}）"
        kind = "a geometric progression" if geometric else "an arithmetic progression"
        return f"In section {hit.subject_id}, {len(hit.entities)} bidders' prices form {kind} ({prices})"

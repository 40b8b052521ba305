"""C10 · 报价异常一致、价格围堵 · Identical or clustered prices.

Methodology
    Two rules within each section:

    * Identical totals: two or more different bidders submitted exactly the same bid price (to the
      cent). Bids equal to the control price are left out: bidding the published ceiling, or a price the
      tenderer fixed, is not a coincidence that needs explaining.
    * Price cluster (价格围堵): at least ``min_bids`` valid bids, at least ``cluster_share`` of them within
      ±``cluster_band`` of the mean price and none beyond ±``cluster_max``. The published rule uses
      ±3 % / ±6 %; in a market where honest bids spread over 85–99 % of the control price that band is
      met by one section in five, so the default band is tighter and the rule is a yellow pointer, not
      proof. Sections evaluated by the reasonable-low-price method are left out: there bidders aim at a
      benchmark derived from the average of the bids and cluster legitimately.

Why it is a red flag
    Independent bidders price from their own costs; two identical totals to the cent, or a whole field
    squeezed into a band far narrower than the market's, means the prices were shared or dictated
    (Implementing Regulations Art. 40(4): abnormally identical bid files).

Evidence
    Identical totals (orange): each bidder's price from ``bids``, naming the others with the same price.
    Cluster (yellow): each bidder's price and its deviation from the mean.

Exclusions
    Bids equal to the control price; sections where every bid is identical (a fixed-price lot); the
    reasonable-low-price method for the cluster rule; disqualified bids for the cluster rule.

Sources
    DOMAIN.md §2 S8 (identical prices, 价格围堵 ≥ 80 % within ±3 %, max ±6 %, method normalisation);
    OCDS R028 identical bid prices (``open-contracting/cardinal-rs`` ``docs/cli/indicators/R/028.md``);
    ``leixingti/bid-analysis-system`` ``price_analysis.py``.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class IdenticalPrices(DetectionModel):
    __doc__ = __doc__
    ID = "C10"
    VERSION = 1
    NAME_ZH = "报价异常一致、价格围堵"
    NAME_EN = "Identical or clustered prices"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第四十条第（四）项：不同投标人的投标文件异常一致或者投标报价呈规律性差异",
            "Implementing Regulations Art. 40(4): bid files abnormally identical or prices in regular differences",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_bids": Param(
            3, "价格围堵所需的最少有效报价数", "minimum valid bids for the cluster rule", minimum=3
        ),
        "cluster_band": Param(
            0.005, "围堵带宽（相对均价）", "cluster band around the mean price (fraction)", 0.0, 0.1
        ),
        "cluster_share": Param(0.8, "落在带宽内的报价比例下限", "share of bids inside the band", 0.5, 1.0),
        "cluster_max": Param(
            0.01, "任一报价偏离均价的上限", "largest deviation of any bid from the mean (fraction)", 0.0, 0.2
        ),
    }
    DATASETS = ("bids", "sections")
    BENIGN = (
        ("固定价格或按最高投标限价报价", "A fixed price or bids at the control price"),
        (
            "合理低价法、平均值基准价法下报价自然集中",
            "Prices cluster under reasonable-low or average-benchmark methods",
        ),
        ("政府定价、费率招标", "Government-fixed prices or rate tenders"),
    )
    SQL = """
WITH b AS (
    SELECT b.section_code, b.bidder_uscc, b.bid_price, COALESCE(b.disqualified, FALSE) AS disq,
           s.control_price, s.evaluation_method
    FROM bids b JOIN sections_in_scope s ON b.section_code = s.section_code
    WHERE b.bid_price IS NOT NULL AND b.bid_price > 0
),
fixed AS (
    SELECT section_code FROM b GROUP BY section_code HAVING COUNT(DISTINCT bid_price) = 1
),
same AS (
    SELECT x.section_code, x.bidder_uscc, x.bid_price, y.bidder_uscc AS other
    FROM b x JOIN b y
      ON x.section_code = y.section_code AND x.bid_price = y.bid_price AND x.bidder_uscc <> y.bidder_uscc
    WHERE x.control_price IS NULL OR x.bid_price <> x.control_price
),
identical AS (
    SELECT section_code, bidder_uscc, 'identical_price' AS rule, 'orange' AS severity,
           CAST(bid_price AS VARCHAR) || ' = ' || other AS value
    FROM same WHERE section_code NOT IN (SELECT section_code FROM fixed)
),
v AS (
    SELECT section_code, bidder_uscc, bid_price,
           abs(CAST(bid_price AS DOUBLE) / avg(CAST(bid_price AS DOUBLE)) OVER (PARTITION BY section_code) - 1)
               AS dev,
           COUNT(*) OVER (PARTITION BY section_code) AS n
    FROM b WHERE NOT disq AND evaluation_method <> 'reasonable_low'
),
clustered AS (
    SELECT section_code FROM v
    WHERE n >= {min_bids}
    GROUP BY section_code
    HAVING AVG(CASE WHEN dev <= {cluster_band} THEN 1.0 ELSE 0.0 END) >= {cluster_share}
       AND MAX(dev) <= {cluster_max} AND COUNT(DISTINCT bid_price) > 1
),
cluster AS (
    SELECT v.section_code, v.bidder_uscc, 'price_cluster' AS rule, 'yellow' AS severity,
           CAST(v.bid_price AS VARCHAR) || ' (' || CAST(CAST(ROUND(100 * v.dev, 2) AS DECIMAL(8, 2)) AS VARCHAR)
               || '% from mean)' AS value
    FROM v JOIN clustered c ON c.section_code = v.section_code
),
found AS (SELECT * FROM identical UNION ALL SELECT * FROM cluster)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, bidder_uscc AS entity_id, severity,
       rule, 'bids' AS dataset, section_code || '|' || bidder_uscc AS record_key, 'bid_price' AS field, value
FROM found
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        who = "、".join(hit.entities) if locale.startswith("zh") else ", ".join(hit.entities)
        prices = sorted({e.value.split(" ")[0] for e in hit.evidence})
        if "identical_price" in hit.rules:
            if locale.startswith("zh"):
                return f"投标人{who}的投标报价完全相同（{'、'.join(prices)}元）"
            return f"Bidders {who} submitted identical prices ({', '.join(prices)} yuan)"
        if locale.startswith("zh"):
            return f"标段{hit.subject_id}的有效报价高度集中于均价附近（{who}）"
        return f"The valid bids of section {hit.subject_id} are squeezed around their mean ({who})"

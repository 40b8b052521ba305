"""C32 · 否决投标异常 · Disqualification patterns.

Methodology
    Two outcome patterns of one section, after OCP's red-flag indicators:
    *all but one disqualified* (R035): exactly one bidder kept a valid bid, it won, and at least
    ``min_disqualified`` other bidders were disqualified — the implicated entity is the sole survivor;
    *lowest bid disqualified* (R036): under a price-only award method (lowest evaluated price,
    reasonable low price) the strictly lowest submitted bid was disqualified while another bid won —
    the implicated entity is the disqualified lowest bidder (its exclusion is what changed the result).

Why it is a red flag
    Mass disqualification that leaves a single bidder standing, or the removal of the cheapest bid
    where price alone decides, are the ways a biased evaluation (or bidders submitting deliberately
    non-conforming cover bids) steer an award to a chosen firm.

Evidence
    From ``bids``: the disqualification flag, reason and price of each bid concerned; from ``awards``
    the winner. Orange for both patterns.

Exclusions
    Sections without an award; ties for the lowest price; comprehensive-scoring methods for R036
    (there price is one criterion of several); fewer than ``min_disqualified`` rejected rivals for
    R035 (a two-bidder section with one formal error is common).

Sources
    DOMAIN.md §2 S14; OCP ``cardinal-rs`` indicators R035 and R036 (OCDS-INDICATORS.md); OECD
    guidelines on non-conforming cover bids.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class DisqualificationPatterns(DetectionModel):
    __doc__ = __doc__
    ID = "C32"
    VERSION = 1
    NAME_ZH = "否决投标异常"
    NAME_EN = "Disqualification patterns"
    CATEGORIES = ("evaluation",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第五十一条（否决投标的法定情形）、第七十一条（评标委员会成员不按规定评标）",
            "Implementing Regulations Art. 51 (grounds to reject a bid) and Art. 71 (experts not evaluating "
            "by the rules)",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_disqualified": Param(
            2,
            "唯一有效投标时被否决的其他投标人最少数量",
            "minimum rivals disqualified around the sole valid bid",
            1,
        ),
    }
    DATASETS = ("bids", "awards", "sections")
    BENIGN = (
        (
            "投标人普遍未满足明确的资格条件（核查否决理由是否一致且有依据）",
            "Bidders genuinely failed a clear requirement",
        ),
        (
            "最低价投标确实存在实质性偏差（如未签章、工期不满足）",
            "The lowest bid had a real material deviation",
        ),
    )
    SQL = """
WITH b AS (
    SELECT b.section_code, b.bidder_uscc, b.bid_price, COALESCE(b.disqualified, FALSE) AS disq,
           b.disqualify_reason, s.evaluation_method, a.winner_uscc
    FROM bids b
    JOIN sections_in_scope s ON b.section_code = s.section_code
    JOIN awards a ON a.section_code = b.section_code
    WHERE b.bidder_uscc IS NOT NULL AND a.winner_uscc IS NOT NULL
),
counts AS (
    SELECT section_code, SUM(CASE WHEN disq THEN 0 ELSE 1 END) AS valid,
           SUM(CASE WHEN disq THEN 1 ELSE 0 END) AS rejected
    FROM b GROUP BY section_code
),
survivor AS (
    SELECT b.section_code, b.bidder_uscc, c.rejected
    FROM b JOIN counts c ON b.section_code = c.section_code
    WHERE NOT b.disq AND c.valid = 1 AND c.rejected >= {min_disqualified} AND b.bidder_uscc = b.winner_uscc
),
priced AS (
    SELECT *, MIN(bid_price) OVER (PARTITION BY section_code) AS low,
           SUM(1) OVER (PARTITION BY section_code, bid_price) AS same_price
    FROM b WHERE bid_price IS NOT NULL
),
lowest AS (
    SELECT * FROM priced
    WHERE bid_price = low AND same_price = 1 AND disq AND winner_uscc <> bidder_uscc
      AND evaluation_method IN ('lowest_price', 'reasonable_low')
)
SELECT s.section_code, 'section' AS subject_type, s.section_code AS subject_id, s.bidder_uscc AS entity_id,
       'orange' AS severity, 'all_but_one_disqualified' AS rule, 'bids' AS dataset,
       b.section_code || '|' || b.bidder_uscc AS record_key, 'disqualify_reason' AS field,
       COALESCE(b.disqualify_reason, '') AS value
FROM survivor s JOIN b ON b.section_code = s.section_code AND b.disq
UNION ALL
SELECT section_code, 'section', section_code, bidder_uscc, 'orange', 'all_but_one_disqualified', 'awards',
       section_code, 'winner_uscc', bidder_uscc || ' (' || CAST(rejected AS VARCHAR) || ' rivals disqualified)'
FROM survivor
UNION ALL
SELECT section_code, 'section', section_code, bidder_uscc, 'orange', 'lowest_disqualified', 'bids',
       section_code || '|' || bidder_uscc, 'bid_price', CAST(bid_price AS VARCHAR)
FROM lowest
UNION ALL
SELECT section_code, 'section', section_code, bidder_uscc, 'orange', 'lowest_disqualified', 'bids',
       section_code || '|' || bidder_uscc, 'disqualify_reason', COALESCE(disqualify_reason, '')
FROM lowest
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        who = "、".join(hit.entities)
        if "all_but_one_disqualified" in hit.rules:
            n = sum(1 for e in hit.evidence if e.field == "disqualify_reason")
            if locale.startswith("zh"):
                return f"标段 {hit.subject_id} 除 {who} 外其余 {n} 家投标均被否决，{who} 中标"
            return f"Section {hit.subject_id}: all {n} rivals of {who} were disqualified and {who} won"
        if locale.startswith("zh"):
            return f"标段 {hit.subject_id} 采用价格评标法，最低报价投标人 {who} 被否决"
        return (
            f"Section {hit.subject_id}: under a price-only method the lowest bid, by {who}, was disqualified"
        )

"""C16 · 陪标专业户 · Professional accompany bidder.

Methodology
    Across the whole bid history, a firm with at least ``min_bids`` bids and no win is a candidate
    (the usual "≥ 5 bids, 0 wins" setting). Losing often is not suspicious by itself — in a section of
    eight bidders a firm loses seven times in eight, so nine straight losses happen by chance to about
    one honest firm in four. What marks a firm that bids only to make up the numbers is that it is never
    even close: its mean relative rank among the ranked (qualified) bids of its sections,
    (rank − 1) / (ranked bids − 1), from 0 for the best to 1 for the last, is at least
    ``min_mean_rank``. Bids without a rank (disqualified) are left out of the mean, and a section with a
    single ranked bid says nothing about position. The firm is the subject; every in-scope section it
    bid in is a hit, naming the winner it accompanied.

Why it is a red flag
    Cover bidding: firms that submit deliberately uncompetitive bids so that a pre-arranged bidder wins
    and the tender still shows enough competitors (OECD checklist; "陪标专业户").

Evidence
    Each bid's rank and the number of ranked bids in its section (``bids``), the section's winner
    (``awards``), and the firm's totals (bids, wins, mean relative rank). Yellow.

Exclusions
    Firms with fewer than ``min_bids`` bids, any win, or a mean rank below ``min_mean_rank`` (honest
    losers land anywhere in the ranking); small specialist markets where every firm bids every time
    are covered by the rank test, since there the losers' positions still vary.

Sources
    DOMAIN.md §2 S12 (accompany bidder: ≥ 5 bids and 0 wins); OCP R025 (excessive unsuccessful bids);
    OECD guidelines for fighting bid rigging (cover bidding).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


class AccompanyBidder(DetectionModel):
    __doc__ = __doc__
    ID = "C16"
    VERSION = 1
    NAME_ZH = "陪标专业户"
    NAME_EN = "Professional accompany bidder"
    CATEGORIES = ("collusion", "broker")
    SEVERITY = "yellow"
    SUBJECT = "company"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法》第三十二条、《实施条例》第三十九条：投标人之间约定部分投标人放弃中标",
            "Bidding Law Art. 32; Implementing Regulations Art. 39: bidders agreeing that some will not win",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_bids": Param(5, "最少投标次数", "minimum bids", 2),
        "min_mean_rank": Param(
            0.9,
            "平均相对排名下限（0=第一，1=末位）",
            "minimum mean relative rank (0 = first, 1 = last)",
            0.5,
            1.0,
        ),
    }
    DATASETS = ("bids", "awards", "sections")
    BENIGN = (
        ("新进入市场、实力较弱的企业（核查资质与业绩）", "A weak newcomer to the market"),
        ("企业投标策略保守、报价偏高", "A firm that prices high by policy"),
    )
    SQL = """
WITH ranked AS (
    SELECT section_code, COUNT(*) AS n FROM bids WHERE rank > 0 GROUP BY section_code
),
b AS (
    SELECT b.section_code, b.bidder_uscc, b.rank, r.n, a.winner_uscc,
           CASE WHEN a.winner_uscc = b.bidder_uscc THEN 1 ELSE 0 END AS won,
           CASE WHEN b.rank > 0 AND r.n > 1 THEN CAST(b.rank - 1 AS DOUBLE) / CAST(r.n - 1 AS DOUBLE) END AS position
    FROM bids b
    LEFT JOIN ranked r ON r.section_code = b.section_code
    LEFT JOIN awards a ON a.section_code = b.section_code
    WHERE b.bidder_uscc IS NOT NULL
),
firm AS (
    SELECT bidder_uscc, COUNT(*) AS bids, SUM(won) AS wins, AVG(position) AS mean_rank
    FROM b GROUP BY bidder_uscc
),
flagged AS (
    SELECT * FROM firm
    WHERE bids >= {min_bids} AND wins = 0 AND mean_rank IS NOT NULL AND mean_rank >= {min_mean_rank}
)
SELECT b.section_code, 'company' AS subject_type, b.bidder_uscc AS subject_id,
       COALESCE(b.winner_uscc, b.bidder_uscc) AS entity_id, 'yellow' AS severity, 'never_wins_always_last' AS rule,
       'bids' AS dataset, b.section_code || '|' || b.bidder_uscc AS record_key, 'rank' AS field,
       COALESCE(CAST(b.rank AS VARCHAR), '') || '/' || COALESCE(CAST(b.n AS VARCHAR), '') || '; firm: '
           || CAST(f.bids AS VARCHAR) || ' bids, 0 wins, mean rank ' || CAST(ROUND(f.mean_rank, 3) AS VARCHAR) AS value
FROM flagged f
JOIN b ON b.bidder_uscc = f.bidder_uscc
JOIN sections_in_scope s ON s.section_code = b.section_code
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        stats = hit.evidence[0].value.split("; firm: ")[-1] if hit.evidence else ""
        if locale.startswith("zh"):
            return f"企业 {hit.subject_id} 多次投标从未中标且排名几乎总在末位（{stats}）"
        return f"{hit.subject_id} bids often, never wins and almost always ranks last ({stats})"

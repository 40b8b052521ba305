"""C17 · 标王、中标集中 · Bid king (win concentration).

Methodology
    For every (winner, tenderer) and (winner, agency) pair in the whole award history, count the bids
    and the wins. The Fujian rule "同一投标人多次中标" flags more than three wins (``min_wins`` = 4). Strong
    firms win often everywhere, so the count alone mostly finds market leaders; the model therefore
    tests the wins against the firm's own market. A bidder's fair chance in a section is 1/n (n bidders);
    the firm's strength is its wins in all its *other* sections over their fair-share wins, shrunk
    towards 1 (an ordinary firm) with the weight of ``prior_wins`` fair-share wins, so that a short
    record proves neither strength nor weakness. Strength × the fair share of the sections with this
    tenderer or agency is its expected chance per bid there, and the binomial tail P(X ≥ wins) is the
    probability of doing at least this well by its usual strength. A pair is flagged when that
    probability is at most ``alpha`` (0.001: thousands of firm–buyer pairs are tested, so a looser
    level flags lucky market leaders).
    The firm (the king) is the subject; each in-scope section it won with that tenderer or agency is a
    hit.

Why it is a red flag
    A firm that wins far more often with one buyer or one agency than its strength explains points to
    a tenderer or agency steering awards (tailored requirements, biased evaluation) or to a market
    shared out among bidders.

Evidence
    The award records of the wins, and a summary row: bids, wins, the expected chance per bid
    from the firm's strength elsewhere and the tail probability (which ranks the hits). Orange.

Exclusions
    Fewer than ``min_wins`` wins; concentration explained by the firm's overall strength
    (probability above ``alpha``); awards without a tenderer or agency; nulls never match.

Sources
    DOMAIN.md §2 S12 (bid king); Fujian ``WG080201`` (``lishanling/GGZY`` ``初始化.sql``, views
    ``V_TENDERER_BIDDER`` and ``V_TENDERAGENCY_BIDDER``); OCP R025 for win ratios.
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param

# 0..999 and ln(n!) — portable (no lgamma in Spark): a cumulative sum of ln(i).
_NUMBERS = """
digits AS (SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t(d)),
numbers AS (
    SELECT a.d + 10 * b.d + 100 * c.d AS n FROM digits a CROSS JOIN digits b CROSS JOIN digits c
),
lf AS (
    SELECT n, SUM(ln(CASE WHEN n < 1 THEN 1 ELSE n END)) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS lf
    FROM numbers
)"""


class BidKing(DetectionModel):
    __doc__ = __doc__
    ID = "C17"
    VERSION = 2
    NAME_ZH = "标王、中标集中"
    NAME_EN = "Bid king (win concentration)"
    CATEGORIES = ("collusion", "evaluation")
    SEVERITY = "orange"
    SUBJECT = "company"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法》第五条、第三十二条：招标投标活动应当遵循公平原则，投标人不得与招标人串通投标",
            "Bidding Law Art. 5 and 32: fairness; bidders may not collude with the tenderer",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_wins": Param(
            4, "同一招标人或代理机构的最少中标次数", "minimum wins with one tenderer or agency", 2
        ),
        "prior_wins": Param(
            5.0,
            "企业实力估计的先验权重（按公平份额折算的中标次数）",
            "weight of the prior (an ordinary firm) in the firm's strength, in fair-share wins",
            0.1,
            100.0,
        ),
        "alpha": Param(
            0.001,
            "按企业自身中标率的显著性水平",
            "significance against the firm's own win rate",
            0.000001,
            0.5,
        ),
    }
    DATASETS = ("bids", "awards", "sections", "tender_projects")
    BENIGN = (
        (
            "该企业在该地区或专业确属龙头，竞争者少",
            "The firm is the leader of a thin local or specialist market",
        ),
        ("框架协议或同一项目的后续标段", "Follow-on sections of one programme"),
    )
    SQL = f"""
WITH {_NUMBERS},
-- n: bidders in the section; 1/n is a bidder's fair chance of winning it (fair share).
b AS (
    SELECT b.section_code, b.bidder_uscc, p.tenderer_uscc, p.agency_uscc,
           CASE WHEN a.winner_uscc = b.bidder_uscc THEN 1 ELSE 0 END AS won,
           1.0 / CAST(COUNT(*) OVER (PARTITION BY b.section_code) AS DOUBLE) AS fair
    FROM bids b
    JOIN sections s ON b.section_code = s.section_code
    JOIN tender_projects p ON s.tender_project_code = p.tender_project_code
    JOIN awards a ON a.section_code = b.section_code
    WHERE b.bidder_uscc IS NOT NULL AND a.winner_uscc IS NOT NULL
),
firm AS (
    SELECT bidder_uscc, COUNT(*) AS bids, SUM(won) AS wins, SUM(fair) AS fair FROM b GROUP BY bidder_uscc
),
pairs AS (
    SELECT bidder_uscc, 'tenderer' AS kind, tenderer_uscc AS buyer, COUNT(*) AS bids, SUM(won) AS wins,
           SUM(fair) AS fair
    FROM b WHERE tenderer_uscc IS NOT NULL GROUP BY bidder_uscc, tenderer_uscc
    UNION ALL
    SELECT bidder_uscc, 'agency', agency_uscc, COUNT(*), SUM(won), SUM(fair)
    FROM b WHERE agency_uscc IS NOT NULL GROUP BY bidder_uscc, agency_uscc
),
-- The firm's strength elsewhere: wins over fair-share wins in its other sections, shrunk towards 1
-- (an ordinary firm) with the weight of {{prior_wins}} fair-share wins, so a short record proves little.
-- Its chance per bid with this buyer is that strength times the fair share of those sections.
rated AS (
    SELECT p.bidder_uscc, p.kind, p.buyer, p.bids, p.wins,
           (CAST(f.wins - p.wins AS DOUBLE) + {{prior_wins}}) / (f.fair - p.fair + {{prior_wins}}) AS strength,
           p.fair / CAST(p.bids AS DOUBLE) AS share
    FROM pairs p JOIN firm f ON p.bidder_uscc = f.bidder_uscc
    WHERE p.wins >= {{min_wins}} AND p.bids < 1000
),
capped AS (
    SELECT bidder_uscc, kind, buyer, bids, wins,
           CASE WHEN strength * share > 0.99 THEN 0.99 ELSE strength * share END AS rate
    FROM rated
),
tail AS (
    SELECT r.bidder_uscc, r.kind, r.buyer, r.bids, r.wins, r.rate,
           SUM(exp(ln_n.lf - ln_k.lf - ln_m.lf + k.n * ln(r.rate) + (r.bids - k.n) * ln(1 - r.rate))) AS p
    FROM capped r
    JOIN numbers k ON k.n >= r.wins AND k.n <= r.bids
    JOIN lf ln_n ON ln_n.n = r.bids
    JOIN lf ln_k ON ln_k.n = k.n
    JOIN lf ln_m ON ln_m.n = r.bids - k.n
    GROUP BY r.bidder_uscc, r.kind, r.buyer, r.bids, r.wins, r.rate
),
kings AS (SELECT * FROM tail WHERE p <= {{alpha}}),
won AS (
    SELECT k.bidder_uscc, k.kind, k.buyer, k.bids, k.wins, k.rate, k.p, b.section_code
    FROM kings k JOIN b ON b.bidder_uscc = k.bidder_uscc AND b.won = 1
     AND k.buyer = CASE WHEN k.kind = 'tenderer' THEN b.tenderer_uscc ELSE b.agency_uscc END
    JOIN sections_in_scope s ON s.section_code = b.section_code
)
SELECT section_code, 'company' AS subject_type, bidder_uscc AS subject_id, buyer AS entity_id,
       'orange' AS severity, 'wins_with_' || kind AS rule, 'awards' AS dataset, section_code AS record_key,
       'winner_uscc' AS field, bidder_uscc AS value
FROM won
UNION ALL
SELECT section_code, 'company', bidder_uscc, buyer, 'orange', 'wins_with_' || kind, 'tender_projects',
       buyer, kind || '_uscc',
       CAST(wins AS VARCHAR) || '/' || CAST(bids AS VARCHAR) || ' wins; expected rate '
           || CAST(CAST(ROUND(rate, 3) AS DECIMAL(18, 3)) AS VARCHAR) || '; P=' || CAST(CAST(ROUND(p, 6) AS DECIMAL(18, 6)) AS VARCHAR)
FROM won
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        summary = next((e for e in hit.evidence if e.dataset == "tender_projects"), None)
        stats = summary.value if summary else ""
        buyer = summary.record_key if summary else ""
        if locale.startswith("zh"):
            return f"企业 {hit.subject_id} 在招标人/代理机构 {buyer} 处中标 {stats}，远超其自身中标率"
        return f"{hit.subject_id} won with tenderer/agency {buyer}: {stats}, far above its own win rate"

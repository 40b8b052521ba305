"""C11 · 陪衬报价 · Cover bid close to the winner.

Methodology
    OCDS indicator R024, made robust by recurrence. For every awarded section whose winner submitted
    the lowest valid price, the relative gap to the second-lowest valid price is computed,
    gap = (second − winner) / winner. The gaps of all sections of the market (not only those in scope,
    so the real-time path of one section has the same reference) form the distribution; a gap is a low
    outlier below Q1 − ``iqr_factor`` · IQR. A section in scope is flagged when the same two firms
    (in either order) show such an outlier gap in at least ``min_repeats`` sections: one hair-thin
    gap happens between honest firms by chance, the same pair losing to each other by a hair again
    and again does not.

    The gap is strictly positive and strongly right-skewed, so on the raw scale Q1 − 1.5·IQR is
    nearly always negative (R024 then skips the process and flags nothing). The fence is therefore
    computed on ln(gap), where the distribution is close to symmetric; a fixed ``threshold`` (as R024's
    own override) replaces the fence when set above 0. Quartiles use Hyndman–Fan type 8 (as R024, via
    statrs), computed with row numbers so DuckDB and Spark give the same figures.

Why it is a red flag
    A ring that has chosen the winner files cover bids that lose by a hair: close enough to look like
    competition, never low enough to win. The second price hugging the winner's, far closer than in the
    rest of the market, is the cover-bid pattern (Implementing Regulations Art. 39(1)–(2): bidders
    agreeing prices, or bidding to a pre-arranged high/low order).

Evidence
    The winner's and the runner-up's prices (``bids``) with the gap, the fence and how many sections the
    pair has shown it in. Orange when repeated; with ``min_repeats`` = 1 (plain R024) a single gap is
    yellow, weak on its own until another signal (C01–C08, C15) corroborates it.

Exclusions
    Sections without an award, where the winner is not the lowest valid bid, with fewer than two valid
    prices, or with a tie at the lowest price (identical prices are C10); disqualified bids.

Sources
    OCDS R024 price close to winning bid (``open-contracting/cardinal-rs`` ``docs/cli/indicators/R/024.md``);
    OCDS-INDICATORS.md (type-8 quantiles, Q1 − 1.5·IQR); DOMAIN.md §2 S8 (cover bid close to winner).
"""

from __future__ import annotations

from typing import ClassVar

from tenderwatch.engine.base import DetectionModel, Hit, LegalBasis, Param


def _quartile(tau: str) -> str:
    """Hyndman–Fan type 8 quantile of ``lg`` over rows numbered ``rn`` = 1..n (clamped at both ends)."""
    h = f"((n + 1.0 / 3) * {tau} + 1.0 / 3)"
    j = f"CAST(floor({h}) AS BIGINT)"
    lo = f"MAX(CASE WHEN rn = greatest(least({j}, n), 1) THEN lg END)"
    hi = f"MAX(CASE WHEN rn = greatest(least({j} + 1, n), 1) THEN lg END)"
    frac = f"MAX({h} - {j})"
    return f"{lo} + {frac} * ({hi} - {lo})"


class CoverBidCloseToWinner(DetectionModel):
    __doc__ = __doc__
    ID = "C11"
    VERSION = 2
    NAME_ZH = "陪衬报价"
    NAME_EN = "Cover bid close to the winner"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第三十九条第（一）、（二）项：投标人之间协商投标报价；约定中标人",
            "Implementing Regulations Art. 39(1)–(2): bidders agreeing prices or the winner",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "iqr_factor": Param(1.5, "四分位距倍数", "IQR multiple for the lower fence", 0.0, 10.0),
        "threshold": Param(
            0.0,
            "固定相对差阈值（大于0时替代四分位围栏）",
            "fixed gap threshold replacing the fence when > 0",
            0.0,
            1.0,
        ),
        "min_sections": Param(
            20, "计算四分位所需的最少标段数", "sections needed to compute the quartiles", minimum=4
        ),
        "min_repeats": Param(
            2,
            "同一对投标人出现异常接近报价的最少标段数",
            "sections in which the same pair shows an outlier gap",
            minimum=1,
        ),
    }
    DATASETS = ("bids", "awards", "sections")
    BENIGN = (
        (
            "成熟市场中报价本就接近（标准化产品、清单计价）",
            "Prices are close anyway (standard goods, bill pricing)",
        ),
        ("两家均按同一定额和信息价编制报价", "Both priced from the same norms and published material prices"),
    )
    SQL = f"""
WITH v AS (
    SELECT b.section_code, b.bidder_uscc, b.bid_price,
           row_number() OVER (PARTITION BY b.section_code ORDER BY b.bid_price, b.bidder_uscc) AS pos
    FROM bids b
    WHERE b.bid_price IS NOT NULL AND b.bid_price > 0 AND NOT COALESCE(b.disqualified, FALSE)
),
gaps AS (
    SELECT a.section_code, w.bidder_uscc AS winner, w.bid_price AS winner_price,
           c.bidder_uscc AS cover, c.bid_price AS cover_price,
           CAST(c.bid_price AS DOUBLE) / CAST(w.bid_price AS DOUBLE) - 1 AS gap
    FROM awards a
    JOIN v w ON w.section_code = a.section_code AND w.pos = 1 AND w.bidder_uscc = a.winner_uscc
    JOIN v c ON c.section_code = a.section_code AND c.pos = 2
    WHERE c.bid_price > w.bid_price
),
ranked AS (
    SELECT ln(gap) AS lg, row_number() OVER (ORDER BY gap, section_code) AS rn, COUNT(*) OVER () AS n FROM gaps
),
quartiles AS (
    SELECT {_quartile("0.25")} AS q1, {_quartile("0.75")} AS q3, MAX(n) AS n FROM ranked
),
fence AS (
    SELECT CASE WHEN {{threshold}} > 0 THEN {{threshold}} ELSE exp(q1 - {{iqr_factor}} * (q3 - q1)) END AS limit_gap
    FROM quartiles WHERE n >= {{min_sections}} OR {{threshold}} > 0
),
low AS (
    SELECT g.*, f.limit_gap,
           CASE WHEN g.winner < g.cover THEN g.winner ELSE g.cover END AS p1,
           CASE WHEN g.winner < g.cover THEN g.cover ELSE g.winner END AS p2
    FROM gaps g CROSS JOIN fence f WHERE g.gap < f.limit_gap
),
repeated AS (
    SELECT p1, p2, COUNT(*) AS times FROM low GROUP BY p1, p2 HAVING COUNT(*) >= {{min_repeats}}
),
flagged AS (
    SELECT l.*, r.times FROM low l
    JOIN repeated r ON l.p1 = r.p1 AND l.p2 = r.p2
    JOIN sections_in_scope s ON l.section_code = s.section_code
),
rows_out AS (
    SELECT section_code, winner AS entity, 'winner' AS rule, winner_price AS price, gap, limit_gap, times
    FROM flagged
    UNION ALL
    SELECT section_code, cover, 'cover', cover_price, gap, limit_gap, times FROM flagged
)
SELECT section_code, 'section' AS subject_type, section_code AS subject_id, entity AS entity_id,
       CASE WHEN times >= 2 THEN 'orange' ELSE 'yellow' END AS severity, rule, 'bids' AS dataset,
       section_code || '|' || entity AS record_key, 'bid_price' AS field,
       CAST(price AS VARCHAR) || ' (gap ' || CAST(CAST(ROUND(100 * gap, 3) AS DECIMAL(10, 3)) AS VARCHAR)
           || '% < ' || CAST(CAST(ROUND(100 * limit_gap, 3) AS DECIMAL(10, 3)) AS VARCHAR) || '%; '
           || CAST(times AS VARCHAR) || 'x)' AS value
FROM rows_out
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        winner = next((e for e in hit.evidence if e.rule == "winner"), None)
        cover = next((e for e in hit.evidence if e.rule == "cover"), None)
        if winner is None or cover is None:
            return super().explain(hit, locale)
        if locale.startswith("zh"):
            return (
                f"次低价投标人{cover.entity_id}的报价紧贴中标人{winner.entity_id}（{cover.value}），"
                "且二者在多个标段反复出现这种情形"
            )
        return (
            f"The runner-up {cover.entity_id} priced just above the winner {winner.entity_id} ({cover.value}), "
            "and the two show this again and again"
        )

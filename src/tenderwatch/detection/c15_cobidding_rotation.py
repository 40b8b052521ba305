"""C15 · 伴随投标、轮流中标 · Co-bidding group and rotation.

Methodology
    Over the whole award history (sections with a winner), every trio of firms in which each pair met
    in at least ``min_meetings`` sections is a candidate group; its meetings are the sections where all
    three bid. A rotation group meets too often, wins too often and shares the wins out:
    *Fixed group*: the trio meets far more often than its markets explain. In a market
    (industry × city, the first four digits of the region code) with S sections, where the firms bid
    k₁, k₂, k₃ times, independent bidding gives k₁·k₂·k₃ / S² chance meetings; the meetings must be at
    least ``min_lift`` times the sum over the markets. A thin specialist market (a city's few water
    firms meet in every tender) meets about as often as it should and is not a group.
    *Group wins*: one of the three won the meetings more often than the firms' strength explains.
    A firm's strength is its wins in all its *other* sections over the wins a fair draw would give it
    there (Σ 1/bidders), with a prior of one win; the chance that the trio wins a meeting is its share of
    the field's strength (Bradley–Terry), and the binomial tail P(X ≥ wins) is taken at the mean of these
    chances (a conservative bound for unequal chances).
    The Poisson tail of the meetings and the binomial tail of the wins are combined by Fisher's method
    (q = product, P = q·(1 − ln q)); with Bonferroni's correction over the m candidate rotation groups
    examined (trios meeting ``min_meetings`` times in which each member won at least once), the group
    is flagged when m·P ≤ ``alpha``.
    *Rotation*: all three won at least once and the wins are even, rotation score
    1 − var(wins)/mean² ≥ ``min_rotation``.
    Each firm of the trio is a subject; each in-scope meeting section is a hit naming the two others.

Why it is a red flag
    Firms that always turn up together and take turns winning are sharing the market out among
    themselves (伴随投标、轮流中标): the textbook bid-rotation cartel, where the losers bid to cover
    the agreed winner.

Evidence
    For every meeting: the other members' bids (``bids``) and the winner (``awards``); and a summary
    (meetings against the markets' expectation, group wins against the strength expectation, each
    member's wins, rotation score, both tail probabilities and the combined one with m). Orange.

Exclusions
    Trios meeting fewer than ``min_meetings`` times or not ``min_lift`` times more often than their
    markets predict (thin specialist markets), and groups whose meetings and wins together are not
    significant (wins their members' own strength explains); wins held by one or two members or spread
    unevenly (no rotation); sections without an award; nulls never match. Short histories (a market of
    a handful of sections) cannot show a group: there every active firm meets every other.

Sources
    DOMAIN.md §2 S12 (fixed co-bidding groups with min support 3; rotation score
    1 − var/mean², ``Zeppelinpp/ContractGraph`` ``src/analysis/collusion.py``; pitfall: normalise by
    industry × region market size); OECD guidelines for fighting bid rigging (bid rotation).
"""

from __future__ import annotations

import re
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


def _sci(x: str) -> str:
    """A probability as text with 3 significant digits, e.g. 1.23e-5 (portable: no format())."""
    v = f"GREATEST({x}, CAST(1e-300 AS DOUBLE))"
    e = f"CAST(FLOOR(log10({v})) AS INTEGER)"
    return f"CAST(ROUND({v} / power(10, {e}), 2) AS VARCHAR) || 'e' || CAST({e} AS VARCHAR)"


class CobiddingRotation(DetectionModel):
    __doc__ = __doc__
    ID = "C15"
    VERSION = 1
    NAME_ZH = "伴随投标、轮流中标"
    NAME_EN = "Co-bidding group and rotation"
    CATEGORIES = ("collusion",)
    SEVERITY = "orange"
    SUBJECT = "company"
    LEGAL_BASIS = (
        LegalBasis(
            "《招标投标法实施条例》第三十九条：投标人之间约定中标人、约定部分投标人放弃投标或者中标",
            "Implementing Regulations Art. 39: bidders agreeing who wins, or that some will not bid or win",
        ),
    )
    PARAMS: ClassVar[dict[str, Param]] = {
        "min_meetings": Param(4, "最少共同投标标段数", "minimum sections bid together", 3, 999),
        "min_lift": Param(
            2.0, "共同投标超出市场随机期望的倍数", "times the meetings the markets predict", 1.0
        ),
        "alpha": Param(
            0.05,
            "聚集与中标两项检验的合并显著性水平（按候选组数校正）",
            "combined significance of meetings and wins",
            0.000001,
            0.5,
        ),
        "min_rotation": Param(
            0.5, "轮流中标均匀度下限（1−方差/均值²）", "minimum rotation score (1 − var/mean²)", 0.0, 1.0
        ),
    }
    DATASETS = ("bids", "awards", "sections")
    BENIGN = (
        ("专业市场企业少，常年同场竞争", "A thin specialist market where the same firms always meet"),
        ("联合体成员或长期合作伙伴（核查是否联合投标）", "Partners in a consortium or long-term alliance"),
    )
    SQL = f"""
WITH {_NUMBERS},
b AS (
    SELECT b.section_code, b.bidder_uscc, a.winner_uscc,
           CASE WHEN a.winner_uscc = b.bidder_uscc THEN 1 ELSE 0 END AS won,
           s.industry || ':' || substr(s.region_code, 1, 4) AS market
    FROM bids b
    JOIN awards a ON a.section_code = b.section_code
    JOIN sections s ON s.section_code = b.section_code
    WHERE b.bidder_uscc IS NOT NULL AND a.winner_uscc IS NOT NULL
),
field AS (SELECT section_code, COUNT(*) AS nb FROM b GROUP BY section_code),
bf AS (
    SELECT b.*, CAST(1 AS DOUBLE) / CAST(f.nb AS DOUBLE) AS fair
    FROM b JOIN field f ON f.section_code = b.section_code
),
-- strength: wins over a fair draw's wins (Σ 1/bidders), one prior win; 1 = an average firm
firm AS (
    SELECT bidder_uscc, SUM(won) AS wins, SUM(fair) AS fair,
           CAST(SUM(won) + 1 AS DOUBLE) / (SUM(fair) + 1) AS strength
    FROM bf GROUP BY bidder_uscc
),
field_strength AS (
    SELECT bf.section_code, SUM(f.strength) AS total
    FROM bf JOIN firm f ON f.bidder_uscc = bf.bidder_uscc GROUP BY bf.section_code
),
market_size AS (SELECT market, COUNT(DISTINCT section_code) AS sections FROM b GROUP BY market),
firm_market AS (SELECT bidder_uscc, market, COUNT(*) AS bids FROM b GROUP BY bidder_uscc, market),
pair AS (
    SELECT x.bidder_uscc AS a, y.bidder_uscc AS c
    FROM b x JOIN b y ON x.section_code = y.section_code AND x.bidder_uscc < y.bidder_uscc
    GROUP BY x.bidder_uscc, y.bidder_uscc HAVING COUNT(*) >= {{min_meetings}}
),
trio AS (
    SELECT p.a, p.c, q.c AS d
    FROM pair p JOIN pair q ON q.a = p.a AND q.c > p.c JOIN pair r ON r.a = p.c AND r.c = q.c
),
grp AS (
    SELECT t.a, t.c, t.d, COUNT(*) AS n, SUM(x.won) AS wa, SUM(y.won) AS wc, SUM(z.won) AS wd,
           SUM(x.fair) AS fair
    FROM trio t
    JOIN bf x ON x.bidder_uscc = t.a
    JOIN bf y ON y.bidder_uscc = t.c AND y.section_code = x.section_code
    JOIN bf z ON z.bidder_uscc = t.d AND z.section_code = x.section_code
    GROUP BY t.a, t.c, t.d HAVING COUNT(*) >= {{min_meetings}} AND COUNT(*) < 1000
),
-- the members' strength outside the meetings (their rotated wins would inflate it); m counts every
-- candidate rotation group examined, for the Bonferroni correction below
own AS (
    SELECT g.*, fa.strength + fc.strength + fd.strength AS joint_all, COUNT(*) OVER () AS m,
           CAST(fa.wins - g.wa + 1 AS DOUBLE) / (fa.fair - g.fair + 1)
           + CAST(fc.wins - g.wc + 1 AS DOUBLE) / (fc.fair - g.fair + 1)
           + CAST(fd.wins - g.wd + 1 AS DOUBLE) / (fd.fair - g.fair + 1) AS joint
    FROM grp g
    JOIN firm fa ON fa.bidder_uscc = g.a JOIN firm fc ON fc.bidder_uscc = g.c
    JOIN firm fd ON fd.bidder_uscc = g.d
    WHERE g.wa > 0 AND g.wc > 0 AND g.wd > 0
),
market_chance AS (
    SELECT o.a, o.c, o.d,
           SUM(CAST(x.bids AS DOUBLE) * CAST(y.bids AS DOUBLE) * CAST(z.bids AS DOUBLE)
               / (CAST(ms.sections AS DOUBLE) * CAST(ms.sections AS DOUBLE))) AS expected
    FROM own o
    JOIN firm_market x ON x.bidder_uscc = o.a
    JOIN firm_market y ON y.bidder_uscc = o.c AND y.market = x.market
    JOIN firm_market z ON z.bidder_uscc = o.d AND z.market = x.market
    JOIN market_size ms ON ms.market = x.market
    GROUP BY o.a, o.c, o.d
),
-- per meeting, the trio's share of the field's strength (Bradley–Terry)
win_chance AS (
    SELECT o.a, o.c, o.d, SUM(o.joint / (fs.total - o.joint_all + o.joint)) AS expected
    FROM own o
    JOIN bf x ON x.bidder_uscc = o.a
    JOIN bf y ON y.bidder_uscc = o.c AND y.section_code = x.section_code
    JOIN bf z ON z.bidder_uscc = o.d AND z.section_code = x.section_code
    JOIN field_strength fs ON fs.section_code = x.section_code
    GROUP BY o.a, o.c, o.d
),
scored AS (
    SELECT o.a, o.c, o.d, o.n, o.wa, o.wc, o.wd, o.m, o.wa + o.wc + o.wd AS w,
           mc.expected AS met_expected, wx.expected AS win_expected,
           LEAST(wx.expected / o.n, CAST(0.999 AS DOUBLE)) AS rate,
           -- 1 − var/mean² of the members' wins = 2 − 3·Σ wins² / (Σ wins)²
           2 - 3 * CAST(o.wa * o.wa + o.wc * o.wc + o.wd * o.wd AS DOUBLE)
             / CAST((o.wa + o.wc + o.wd) * (o.wa + o.wc + o.wd) AS DOUBLE) AS rotation
    FROM own o
    JOIN market_chance mc ON mc.a = o.a AND mc.c = o.c AND mc.d = o.d
    JOIN win_chance wx ON wx.a = o.a AND wx.c = o.c AND wx.d = o.d
    WHERE o.n >= {{min_lift}} * mc.expected
),
-- In one pass over k = wins … 999: the binomial tail P(X ≥ wins) of the group's wins (k ≤ n) and the
-- Poisson tail P(Y ≥ n) of its meetings (k ≥ n), summed upwards (1 − a lower sum cancels to noise).
tail AS (
    SELECT s.a, s.c, s.d, s.n, s.wa, s.wc, s.wd, s.w, s.m, s.met_expected, s.win_expected, s.rotation,
           SUM(CASE WHEN k.n <= s.n THEN exp(ln_n.lf - ln_k.lf - ln_m.lf + k.n * ln(s.rate)
               + (s.n - k.n) * ln(1 - s.rate)) ELSE 0 END) AS p_win,
           SUM(CASE WHEN k.n >= s.n THEN exp(-s.met_expected + k.n * ln(s.met_expected) - ln_k.lf)
               ELSE 0 END) AS p_meet
    FROM scored s
    JOIN numbers k ON k.n >= s.w
    JOIN lf ln_n ON ln_n.n = s.n
    JOIN lf ln_k ON ln_k.n = k.n
    JOIN lf ln_m ON ln_m.n = CASE WHEN k.n <= s.n THEN s.n - k.n ELSE 0 END
    WHERE s.rotation >= {{min_rotation}}
    GROUP BY s.a, s.c, s.d, s.n, s.wa, s.wc, s.wd, s.w, s.m, s.met_expected, s.win_expected, s.rotation
),
-- Fisher's method for the two tests: with q = p_meet · p_win, P(χ²₄ ≥ −2 ln q) = q (1 − ln q);
-- Bonferroni over the m candidate groups keeps the family-wise error at alpha
fisher AS (SELECT t.*, GREATEST(t.p_meet * t.p_win, CAST(1e-300 AS DOUBLE)) AS q FROM tail t),
cartel AS (SELECT f.*, f.q * (1 - ln(f.q)) AS p FROM fisher f WHERE f.q * (1 - ln(f.q)) * f.m <= {{alpha}}),
roles AS (SELECT r FROM (VALUES (1), (2), (3)) AS t(r)),
items AS (SELECT i FROM (VALUES (1), (2), (3), (4)) AS t(i)),
rows AS (
    SELECT x.section_code, x.winner_uscc,
           CASE r.r WHEN 1 THEN k.a WHEN 2 THEN k.c ELSE k.d END AS member,
           CASE r.r WHEN 1 THEN k.c ELSE k.a END AS other1,
           CASE r.r WHEN 3 THEN k.c ELSE k.d END AS other2,
           CAST(k.n AS VARCHAR) || ' meetings (markets expect ' || CAST(ROUND(k.met_expected, 2) AS VARCHAR)
           || '); group won ' || CAST(k.w AS VARCHAR) || ' (strength expects '
           || CAST(ROUND(k.win_expected, 2) AS VARCHAR) || '); wins ' || k.a || ':' || CAST(k.wa AS VARCHAR)
           || ' ' || k.c || ':' || CAST(k.wc AS VARCHAR) || ' ' || k.d || ':' || CAST(k.wd AS VARCHAR)
           || '; rotation ' || CAST(ROUND(k.rotation, 3) AS VARCHAR)
           || '; P(meetings)=' || {_sci("k.p_meet")} || ' P(wins)=' || {_sci("k.p_win")}
           || ' combined ' || {_sci("k.p")}
           || ' of ' || CAST(k.m AS VARCHAR) || ' candidate groups'
           AS summary
    FROM cartel k
    CROSS JOIN roles r
    JOIN bf x ON x.bidder_uscc = k.a
    JOIN bf y ON y.bidder_uscc = k.c AND y.section_code = x.section_code
    JOIN bf z ON z.bidder_uscc = k.d AND z.section_code = x.section_code
    JOIN sections_in_scope s ON s.section_code = x.section_code
)
-- four evidence items per member and meeting: the two other members' bids, the award, the summary
SELECT section_code, 'company' AS subject_type, member AS subject_id,
       CASE i.i WHEN 1 THEN other1 WHEN 2 THEN other2 WHEN 3 THEN winner_uscc ELSE member END AS entity_id,
       'orange' AS severity, 'rotation_group' AS rule,
       CASE i.i WHEN 3 THEN 'awards' ELSE 'bids' END AS dataset,
       CASE i.i WHEN 1 THEN section_code || '|' || other1 WHEN 2 THEN section_code || '|' || other2
            WHEN 3 THEN section_code ELSE section_code || '|' || member END AS record_key,
       CASE i.i WHEN 3 THEN 'winner_uscc' WHEN 4 THEN 'group' ELSE 'bidder_uscc' END AS field,
       CASE i.i WHEN 1 THEN other1 WHEN 2 THEN other2 WHEN 3 THEN winner_uscc ELSE summary END AS value
FROM rows CROSS JOIN items i
"""

    @classmethod
    def explain(cls, hit: Hit, locale: str) -> str:
        summary = next((e.value for e in hit.evidence if e.field == "group"), "")
        others = [e for e in hit.entities if e != hit.subject_id]
        if locale.startswith("zh"):
            found = re.match(r"(\d+) meetings \(markets expect ([\d.]+)\); group won (\d+)", summary)
            n, expected, won = found.groups() if found else ("?", "?", "?")
            return (
                f"企业 {hit.subject_id} 与 {'、'.join(others)} 共同投标 {n} 次（所在市场随机期望 {expected} 次），"
                f"其中 {won} 次由三家之一轮流中标（{summary}）"
            )
        return (
            f"{hit.subject_id} keeps bidding with {', '.join(others)} and they take turns winning ({summary})"
        )

"""C15 · 伴随投标、轮流中标 · Co-bidding group and rotation.

Methodology
    Over the whole award history (sections with a winner), every trio of firms in which each pair met
    in at least ``min_meetings`` sections is a candidate group; its meetings are the sections where all
    three bid. Three tests, each against chance, must all pass.
    *Fixed group*: the trio meets far more often than its markets explain. In a market
    (industry × city, the first four digits of the region code) with S sections, where the firms bid
    k₁, k₂, k₃ times, independent bidding gives k₁·k₂·k₃ / S² chance meetings; the meetings must be at
    least ``min_lift`` times the sum over the markets. A thin specialist market (a city's few water
    firms meet in every tender) meets about as often as it should and is not a group.
    *Group wins*: one of the three won the meeting far more often than the firms' strength explains.
    A firm's strength is its wins in all its *other* sections over the wins a fair draw would give it
    there (Σ 1/bidders), with a prior of one win; the chance that the trio wins a meeting is its share of
    the field's strength (Bradley–Terry), and the binomial tail P(X ≥ wins) at the mean of these chances
    (a conservative bound for unequal chances) must be at most ``alpha``.
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
    member's wins, rotation score and tail probability). Orange.

Exclusions
    Trios meeting fewer than ``min_meetings`` times or not ``min_lift`` times more often than their
    markets predict (thin specialist markets); groups whose wins their members' own strength explains;
    wins held by one or two members (no rotation); sections without an award; nulls never match.

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
meet AS (
    SELECT t.a, t.c, t.d, x.section_code, x.winner_uscc, x.fair, x.won AS wa, y.won AS wc, z.won AS wd,
           fs.total
    FROM trio t
    JOIN bf x ON x.bidder_uscc = t.a
    JOIN bf y ON y.bidder_uscc = t.c AND y.section_code = x.section_code
    JOIN bf z ON z.bidder_uscc = t.d AND z.section_code = x.section_code
    JOIN field_strength fs ON fs.section_code = x.section_code
),
grp AS (
    SELECT a, c, d, COUNT(*) AS n, SUM(wa) AS wa, SUM(wc) AS wc, SUM(wd) AS wd, SUM(fair) AS fair
    FROM meet GROUP BY a, c, d HAVING COUNT(*) >= {{min_meetings}} AND COUNT(*) < 1000
),
-- the members' strength outside the meetings (their rotated wins would inflate it)
own AS (
    SELECT g.*, fa.strength + fc.strength + fd.strength AS joint_all,
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
win_chance AS (
    SELECT o.a, o.c, o.d, SUM(o.joint / (m.total - o.joint_all + o.joint)) AS expected
    FROM own o JOIN meet m ON m.a = o.a AND m.c = o.c AND m.d = o.d
    GROUP BY o.a, o.c, o.d
),
scored AS (
    SELECT o.a, o.c, o.d, o.n, o.wa, o.wc, o.wd, o.wa + o.wc + o.wd AS w, mc.expected AS met_expected,
           wx.expected AS win_expected,
           LEAST(wx.expected / o.n, CAST(0.999 AS DOUBLE)) AS rate,
           -- 1 − var/mean² of the members' wins = 2 − 3·Σ wins² / (Σ wins)²
           2 - 3 * CAST(o.wa * o.wa + o.wc * o.wc + o.wd * o.wd AS DOUBLE)
             / CAST((o.wa + o.wc + o.wd) * (o.wa + o.wc + o.wd) AS DOUBLE) AS rotation
    FROM own o
    JOIN market_chance mc ON mc.a = o.a AND mc.c = o.c AND mc.d = o.d
    JOIN win_chance wx ON wx.a = o.a AND wx.c = o.c AND wx.d = o.d
    WHERE o.n >= {{min_lift}} * mc.expected
),
win_tail AS (
    SELECT s.a, s.c, s.d, s.n, s.wa, s.wc, s.wd, s.w, s.met_expected, s.win_expected, s.rotation,
           SUM(exp(ln_n.lf - ln_k.lf - ln_m.lf + k.n * ln(s.rate) + (s.n - k.n) * ln(1 - s.rate))) AS p_win
    FROM scored s
    JOIN numbers k ON k.n >= s.w AND k.n <= s.n
    JOIN lf ln_n ON ln_n.n = s.n
    JOIN lf ln_k ON ln_k.n = k.n
    JOIN lf ln_m ON ln_m.n = s.n - k.n
    WHERE s.rotation >= {{min_rotation}}
    GROUP BY s.a, s.c, s.d, s.n, s.wa, s.wc, s.wd, s.w, s.met_expected, s.win_expected, s.rotation
),
-- Poisson upper tail of the meetings, summed upwards (1 − lower sum would cancel to noise)
meet_tail AS (
    SELECT t.a, t.c, t.d, SUM(exp(-t.met_expected + k.n * ln(t.met_expected) - f.lf)) AS p_meet
    FROM win_tail t JOIN numbers k ON k.n >= t.n JOIN lf f ON f.n = k.n
    GROUP BY t.a, t.c, t.d
),
-- Fisher's method for the two tests: with q = p_meet · p_win, P(χ²₄ ≥ −2 ln q) = q (1 − ln q)
tail AS (
    SELECT t.*, m.p_meet, GREATEST(m.p_meet * t.p_win, CAST(1e-300 AS DOUBLE)) AS q
    FROM win_tail t JOIN meet_tail m ON m.a = t.a AND m.c = t.c AND m.d = t.d
),
-- Bonferroni over every candidate rotation group examined: the family-wise error stays at alpha
family AS (SELECT COUNT(*) AS m FROM own),
cartel AS (
    SELECT t.*, t.q * (1 - ln(t.q)) AS p, f.m
    FROM tail t CROSS JOIN family f WHERE t.q * (1 - ln(t.q)) * f.m <= {{alpha}}
),
members AS (
    SELECT a AS member, c AS other1, d AS other2, t.* FROM cartel t
    UNION ALL SELECT c, a, d, t.* FROM cartel t
    UNION ALL SELECT d, a, c, t.* FROM cartel t
),
rows AS (
    SELECT k.*, m.section_code, m.winner_uscc,
           CAST(k.n AS VARCHAR) || ' meetings (markets expect ' || CAST(ROUND(k.met_expected, 2) AS VARCHAR)
           || '); group won ' || CAST(k.w AS VARCHAR) || ' (strength expects '
           || CAST(ROUND(k.win_expected, 2) AS VARCHAR) || '); wins ' || k.a || ':' || CAST(k.wa AS VARCHAR)
           || ' ' || k.c || ':' || CAST(k.wc AS VARCHAR) || ' ' || k.d || ':' || CAST(k.wd AS VARCHAR)
           || '; rotation ' || CAST(ROUND(k.rotation, 3) AS VARCHAR)
           || '; P(meetings)=' || {_sci("k.p_meet")} || ' P(wins)=' || {_sci("k.p_win")}
           || ' combined ' || {_sci("k.p")}
           || ' of ' || CAST(k.m AS VARCHAR) || ' candidate groups'
           AS summary
    FROM members k
    JOIN meet m ON m.a = k.a AND m.c = k.c AND m.d = k.d
    JOIN sections_in_scope s ON s.section_code = m.section_code
)
SELECT section_code, 'company' AS subject_type, member AS subject_id, other1 AS entity_id,
       'orange' AS severity, 'rotation_group' AS rule, 'bids' AS dataset,
       section_code || '|' || other1 AS record_key, 'bidder_uscc' AS field, other1 AS value
FROM rows
UNION ALL
SELECT section_code, 'company', member, other2, 'orange', 'rotation_group', 'bids',
       section_code || '|' || other2, 'bidder_uscc', other2
FROM rows
UNION ALL
SELECT section_code, 'company', member, winner_uscc, 'orange', 'rotation_group', 'awards',
       section_code, 'winner_uscc', winner_uscc
FROM rows
UNION ALL
SELECT section_code, 'company', member, member, 'orange', 'rotation_group', 'bids',
       section_code || '|' || member, 'group', summary
FROM rows
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

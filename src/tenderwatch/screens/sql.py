"""The seven screens as SQL: CTEs a detection model includes in its ``WITH`` clause.

Same definitions as :mod:`tenderwatch.screens.compute` (a test runs both on the same bids). Written in
plain DuckDB SQL with window functions only, so SQLGlot transpiles it to Spark like every model query.
Numerically it follows the numpy code: deviations from the mean, never sums of squares, which would
cancel catastrophically on prices in the millions with a spread of a few yuan.

The sub-group screens (all 3- and 4-bid sub-groups) are not in SQL: the number of combinations makes
them a Python job (:func:`tenderwatch.screens.compute.subgroup_screens`).
"""

from __future__ import annotations


def screens_ctes(source: str, prefix: str = "scr") -> str:
    """CTE text defining ``{prefix}`` with one row per section: section_code, n, cv, spd, diffp, rd,
    kurt, skew, kstest.

    ``source`` is a relation (a CTE name or view) with columns ``section_code`` and ``price``; rows
    with a price that is NULL or not positive are left out. The text has no leading ``WITH`` and no
    trailing comma: include it as ``WITH …, {screens_ctes('v')}, …``.
    """
    p = prefix
    return f"""{p}_bids AS (
    SELECT section_code, CAST(price AS DOUBLE) AS p FROM {source} WHERE price IS NOT NULL AND price > 0
),
{p}_ordered AS (
    SELECT section_code, p,
           ROW_NUMBER() OVER (PARTITION BY section_code ORDER BY p) AS i,
           CAST(COUNT(*) OVER (PARTITION BY section_code) AS DOUBLE) AS n,
           AVG(p) OVER (PARTITION BY section_code) AS mu,
           MIN(p) OVER (PARTITION BY section_code) AS lo,
           MAX(p) OVER (PARTITION BY section_code) AS hi
    FROM {p}_bids
),
{p}_losing AS (
    SELECT o.*, AVG(CASE WHEN i >= 2 THEN p END) OVER (PARTITION BY section_code) AS lmu,
           MAX(CASE WHEN i = 2 THEN p END) OVER (PARTITION BY section_code) AS second
    FROM {p}_ordered o
),
{p}_moments AS (
    SELECT section_code, n, mu, lo, hi, MAX(second) AS second,
           SUM((p - mu) * (p - mu)) / n AS m2,
           SUM((p - mu) * (p - mu) * (p - mu)) / n AS m3,
           SUM((p - mu) * (p - mu) * (p - mu) * (p - mu)) / n AS m4,
           SUM((p - mu) * (p - mu)) AS ss,
           SUM(CASE WHEN i >= 2 THEN (p - lmu) * (p - lmu) END) AS lss,
           MIN(CASE WHEN p > lo THEN p END) AS second_distinct,
           MAX(CASE WHEN hi > lo THEN GREATEST(i / n - (p - lo) / (hi - lo), (p - lo) / (hi - lo) - (i - 1) / n)
               END) AS ks
    FROM {p}_losing
    GROUP BY section_code, n, mu, lo, hi
),
{p} AS (
    SELECT section_code, CAST(n AS BIGINT) AS n,
           CASE WHEN hi > lo AND n >= 2 THEN SQRT(ss / (n - 1)) / mu ELSE 0.0 END AS cv,
           (hi - lo) / lo AS spd,
           COALESCE((second_distinct - lo) / lo, 0.0) AS diffp,
           CASE WHEN n >= 3 AND hi > second THEN (second - lo) / SQRT(lss / (n - 2)) ELSE 0.0 END AS rd,
           CASE WHEN n >= 4 AND hi > lo
                THEN ((n + 1) * (m4 / (m2 * m2) - 3.0) + 6.0) * (n - 1) / ((n - 2) * (n - 3)) ELSE 0.0 END AS kurt,
           CASE WHEN n >= 3 AND hi > lo
                THEN m3 / (m2 * SQRT(m2)) * SQRT(n * (n - 1)) / (n - 2) ELSE 0.0 END AS skew,
           COALESCE(ks, 0.0) AS kstest
    FROM {p}_moments
)"""

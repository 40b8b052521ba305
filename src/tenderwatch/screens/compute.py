"""The price screens, one definition each, computed from the raw bids of one tender.

Every screen is computed row-wise on a matrix of equal-sized bid groups, so the same code serves the
whole tender (one row) and the sub-group screens of Wallimann, Imhof & Huber (2022), where each row is
one sub-group of 3 or 4 bids. For a group of n bids sorted ascending, b(1) the lowest:

* CV     = sd(b) / mean(b), sd with n − 1 (0 if all bids are equal).
* SPD    = (b(n) − b(1)) / b(1).
* DIFFP  = (b' − b(1)) / b(1) with b' the lowest bid strictly above b(1) (0 if all bids are equal):
           ties for the lowest bid are not a gap, so the second-*distinct* bid is used.
* RD     = (b(2) − b(1)) / sd(b(2..n)) (Imhof's relative distance: the gap to the losing bids'
           spread). 0 if n < 3 or the losing bids have no spread (the ratio is undefined there).
* SKEW   = bias-corrected sample skewness G1 (0 if n < 3 or all bids equal).
* KURT   = bias-corrected sample excess kurtosis G2 (0 if n < 4 or all bids equal).
* KSTEST = Kolmogorov–Smirnov D of the bids against a uniform on [b(1), b(n)] (0 if all bids equal).

Amounts must be positive (the CSV reader rejects others), so the divisions by b(1) are defined.
The SQL in :mod:`tenderwatch.screens.sql` implements the same formulas; a test keeps them equal.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

SCREENS: tuple[str, ...] = ("cv", "spd", "diffp", "rd", "kurt", "skew", "kstest")
# The sub-group screens are summarised across all sub-groups of these sizes (Wallimann et al. use 3 and 4).
SUBGROUP_SIZES: tuple[int, ...] = (3, 4)
SUMMARIES: tuple[str, ...] = ("mean", "median", "min", "max")
SUBGROUP_FEATURES: tuple[str, ...] = tuple(f"sub_{s}_{f}" for s in SCREENS for f in SUMMARIES)

Matrix = NDArray[np.float64]


def _safe_div(num: Matrix, den: Matrix) -> Matrix:
    """num / den, with 0 where den is 0 (the screen is undefined there and reported as 0)."""
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den != 0)
    return out


def screens_matrix(groups: Matrix) -> dict[str, Matrix]:
    """All screens for every row of ``groups`` (shape: groups × bids per group)."""
    s = np.sort(np.asarray(groups, dtype=np.float64), axis=1)
    k, n = s.shape
    low, high = s[:, 0], s[:, -1]
    mean = s.mean(axis=1)
    dev = s - mean[:, None]
    zero = np.zeros(k)
    sd = np.sqrt((dev**2).sum(axis=1) / (n - 1)) if n >= 2 else zero
    # Central moments with 1/n (the "biased" ones the bias corrections start from).
    m2 = (dev**2).mean(axis=1)
    m3 = (dev**3).mean(axis=1)
    m4 = (dev**4).mean(axis=1)
    # "All bids equal" is tested on the prices, not on m2: the mean of equal floats can differ from
    # them in the last bit, which would leave a tiny m2 and a meaningless skewness.
    spread = high > low
    out: dict[str, Matrix] = {
        "cv": np.where(spread, _safe_div(sd, mean), 0.0),
        "spd": _safe_div(high - low, low),
    }
    second = np.where(s > low[:, None], s, np.inf).min(axis=1)
    # No bid above the lowest (all equal): the gap is 0.
    second = np.where(np.isfinite(second), second, low)
    out["diffp"] = _safe_div(second - low, low)
    if n >= 3:
        losing_sd = np.where(high > s[:, 1], s[:, 1:].std(axis=1, ddof=1), 0.0)
        out["rd"] = _safe_div(s[:, 1] - low, losing_sd)
    else:
        out["rd"] = zero.copy()
    if n >= 3:
        g1 = _safe_div(m3, np.where(spread, m2, 1.0) ** 1.5)
        out["skew"] = np.where(spread, g1 * np.sqrt(n * (n - 1)) / (n - 2), 0.0)
    else:
        out["skew"] = zero.copy()
    if n >= 4:
        g2 = _safe_div(m4, np.where(spread, m2, 1.0) ** 2) - 3.0
        out["kurt"] = np.where(spread, ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3)), 0.0)
    else:
        out["kurt"] = zero.copy()
    width = high - low
    u = _safe_div(s - low[:, None], width[:, None] * np.ones((1, n)))
    i = np.arange(1, n + 1, dtype=np.float64)
    d = np.maximum(i / n - u, u - (i - 1) / n).max(axis=1)
    out["kstest"] = np.where(width > 0, d, 0.0)
    return {name: out[name] for name in SCREENS}


def section_screens(bids: list[float]) -> dict[str, float]:
    """The seven screens of one section's valid bids (the per-section view calls this).

    Fewer than two bids give an empty dict: no screen means anything on a single price.
    """
    values = [float(b) for b in bids]
    if len(values) < 2:
        return {}
    if any(not np.isfinite(v) or v <= 0 for v in values):
        raise ValueError("bids must be positive finite amounts")
    row = screens_matrix(np.array([values]))
    return {name: float(row[name][0]) for name in SCREENS}


@cache
def _combination_index(n: int, size: int) -> NDArray[np.intp]:
    return np.array(list(combinations(range(n), size)), dtype=np.intp)


def subgroup_screens(bids: NDArray[np.float64]) -> dict[str, float]:
    """Summaries (mean/median/min/max) of every screen over all sub-groups of 3 and 4 bids.

    A tender with fewer than 3 bids has no sub-group; its one group is the whole tender, so the
    summaries equal the tender's own screens rather than being missing.
    """
    n = len(bids)
    per_group: dict[str, list[Matrix]] = {name: [] for name in SCREENS}
    sizes = [size for size in SUBGROUP_SIZES if size <= n] or [n]
    for size in sizes:
        groups = bids[_combination_index(n, size)]
        for name, values in screens_matrix(groups).items():
            per_group[name].append(values)
    result: dict[str, float] = {}
    for name in SCREENS:
        values = np.concatenate(per_group[name])
        result[f"sub_{name}_mean"] = float(values.mean())
        result[f"sub_{name}_median"] = float(np.median(values))
        result[f"sub_{name}_min"] = float(values.min())
        result[f"sub_{name}_max"] = float(values.max())
    return result

"""Quartiles and fences exactly as Cardinal computes them (statrs `OrderStatistics`).

statrs uses Hyndman–Fan type 8 (numpy `method="median_unbiased"`): h = (n + 1/3)·τ + 1/3. The
fences use `mul_add`, a fused multiply-add with one rounding; Python 3.11 has no `math.fma`, so it
is done exactly with fractions, which rounds once just as the hardware instruction does. That
matters only at the last bit, but a fence is compared with `<=`/`>=`, so the last bit can decide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

NAN = float("nan")


def quantile(values: Sequence[float], tau: float) -> float:
    """Type-8 quantile; NaN for no data or tau outside [0, 1], like statrs."""
    n = len(values)
    if n == 0 or tau < 0.0 or tau > 1.0 or math.isnan(tau):
        return NAN
    data = sorted(values)
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    hf = math.floor(h)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or tau == 1.0:
        return data[-1]
    a = data[hf - 1]
    b = data[hf]
    return a + (h - hf) * (b - a)


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """(Q1, Q3) from one sort."""
    data = sorted(values)
    return quantile(data, 0.25), quantile(data, 0.75)


def percentile(values: Sequence[float], p: int) -> float:
    """statrs `percentile(p)`: the quantile at p/100."""
    return quantile(values, p / 100.0)


def fma(a: float, b: float, c: float) -> float:
    """a·b + c with a single rounding (Rust `f64::mul_add`)."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def lower_fence(q1: float, q3: float) -> float:
    """Q1 − 1.5·IQR."""
    return fma(q3 - q1, -1.5, q1)


def upper_fence(q1: float, q3: float) -> float:
    """Q3 + 1.5·IQR."""
    return fma(q3 - q1, 1.5, q3)

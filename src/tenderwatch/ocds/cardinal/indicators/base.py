"""The shape every indicator step has: fold each process, then finalize once over all of them."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process
from tenderwatch.ocds.cardinal.indicators.quantiles import quartiles
from tenderwatch.ocds.cardinal.indicators.results import Results


class Step:
    code = ""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        """Read one process; return whether the indicator could be evaluated on it (coverage)."""
        return False

    def finalize(self, merged: Partial, results: Results) -> None:
        """Turn the merged tallies into results (quartiles, fences)."""

    def measured_quartiles(
        self, results: Results, values: list[float], prefix: str = ""
    ) -> tuple[float, float, bool]:
        """Q1 and Q3 of ``values`` (written to the output's meta, as Cardinal does) and whether our
        IQR-zero guard says to skip the indicator."""
        q1, q3 = quartiles(values)
        results.set_meta(self.code, f"{prefix}q1", q1)
        results.set_meta(self.code, f"{prefix}q3", q3)
        return q1, q3, guarded(self.ctx, q1, q3)


def guarded(ctx: Context, q1: float, q3: float) -> bool:
    """Our `iqr_zero_guard`: with IQR = 0 the fence equals the quartiles and flags up to 75%."""
    return ctx.ext.iqr_zero_guard and q1 == q3

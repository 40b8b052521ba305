"""From the merged partial to final results: main currency, fold-time results, then each finalize."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Partial
from tenderwatch.ocds.cardinal.indicators.results import Results
from tenderwatch.ocds.cardinal.indicators.steps import build_steps


def finalize(merged: Partial, ctx: Context) -> Results:
    """Quartiles, fences and finalize-time results over what `collect.absorb` gathered."""
    results = merged.collected if merged.collected is not None else Results()
    # Cardinal's main currency: the configured one, else the first met in the input.
    currency = ctx.currency if ctx.currency is not None else merged.first_currency
    results.currency = currency
    results.currency_skipped = sum(n for c, n in merged.t.currency_counts.items() if c != currency)
    for step in build_steps(ctx):
        step.finalize(merged, results)
    if ctx.ext.coverage:
        results.coverage = coverage(merged, results, ctx)
    return results


def coverage(merged: Partial, results: Results, ctx: Context) -> dict[str, dict[str, int]]:
    """Per indicator: processes read, processes it could be evaluated on, and results it gave."""
    table: dict[str, dict[str, int]] = {}
    for code in ctx.settings.indicators():
        applicable = merged.t.applicable.get("ratio" if code in ("R024", "R058") else code, 0)
        flagged = sum(
            1
            for group in results.groups.values()
            for values in group.values()
            if values.get(code) is not None
        )
        table[code] = {"processes": merged.processes, "applicable": applicable, "results": flagged}
    return table

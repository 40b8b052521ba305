"""The parent's side of the pass: take chunk results in input order and build results at once.

Keeping every chunk's records until the end cost more memory than the results themselves (a
million processes: ~600 MB of records, then the results dict on top). Applying them as they arrive
needs the main currency early, and it is always known in time: it is the configured currency or the
first one met in input order, and a record that depends on it (R036, a bid ratio) comes from a
process that met a currency itself, at or after the first.
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Partial
from tenderwatch.ocds.cardinal.indicators.results import Results


def absorb(merged: Partial, part: Partial, ctx: Context) -> None:
    """Append a chunk's counts, warnings and maps to `merged`, and apply its results."""
    results = merged.collected
    if results is None:
        results = merged.collected = Results()
    merged.lines += part.lines
    merged.processes += part.processes
    merged.invalid.extend(part.invalid)
    if merged.first_currency is None:
        merged.first_currency = part.first_currency
    currency = ctx.currency if ctx.currency is not None else merged.first_currency
    for ocid, on_ocid, on_tenderer, r036 in part.records:
        for code, value in on_ocid:
            results.set("OCID", ocid, code, value)
        if r036 is not None and currency in r036:
            results.set("OCID", ocid, "R036", 1.0)
        for tenderer_id, code, value in on_tenderer or ():
            results.set("Tenderer", tenderer_id, code, value)
    chosen = results.ratios
    # The same tenderers win and lose again and again: keep one string per id, not one per bid
    # (each chunk arrives with its own copies), which halves what a million ratios hold.
    names = results.names
    for key, ratio_currency, ratio, winner_ids, other_ids in part.ratios:
        if ratio_currency == currency:
            winners = tuple(names.setdefault(i, i) for i in winner_ids)
            others = tuple(names.setdefault(i, i) for i in other_ids)
            chosen[key] = (ratio, winners, others)
    for name, ocid_map in part.maps.items():
        table = results.maps[name]
        for ocid, entry in ocid_map.items():
            existing = table.get(ocid)
            if isinstance(existing, dict) and isinstance(entry, dict):
                existing.update(entry)  # ordered sets as dicts: a repeated ocid unions
            else:
                table[ocid] = entry

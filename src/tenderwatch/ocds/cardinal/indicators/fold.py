"""Fold a chunk of input lines: parse each with orjson and let every step take what it needs.

Nothing of a release outlives its line: steps keep only tallies and decided results, which keeps
memory flat however large the input.
"""

from __future__ import annotations

import gc

import orjson

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial, Tallies
from tenderwatch.ocds.cardinal.indicators.process import Process

CODES_ON_OCID = frozenset(("R003", "R018", "R024", "R028", "R030", "R035", "R036", "R058"))


def fold_chunk(
    data: bytes, first_line: int, ctx: Context, steps: list[Step], tallies: Tallies, index: int
) -> Partial:
    """Fold the lines of chunk number `index` (ending with a newline or at end of input).

    Lines count from `first_line`; tallies accumulate into `tallies`, ordered parts come back.
    """
    # Parsed JSON has no reference cycles, so reference counting frees every release; the cyclic
    # collector would only rescan the many young dicts orjson allocates (5–15% of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _fold(data, first_line, ctx, steps, Partial(t=tallies), index << 24)
    finally:
        if enabled:
            gc.enable()


def _fold(data: bytes, first_line: int, ctx: Context, steps: list[Step], acc: Partial, base: int) -> Partial:
    tallies = acc.t
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    exclude = ctx.exclude_pmd
    coverage = ctx.ext.coverage or ctx.ext.not_applicable
    not_applicable = ctx.ext.not_applicable
    dates = "R030" in ctx.enabled
    bid_ids = ctx.ext.related_bid
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    acc.lines = len(lines)
    for offset, line in enumerate(lines):
        try:
            release = loads(line)
        except decode_error as error:
            if line.strip():  # blank lines are skipped silently, as in Cardinal
                acc.invalid.append((first_line + offset, str(error)))
            continue
        if not isinstance(release, dict):
            continue
        ocid = release.get("ocid")
        if not isinstance(ocid, str):
            continue
        tender = release.get("tender")
        if isinstance(tender, dict):
            if tender.get("status") == "cancelled":
                continue
            details = tender.get("procurementMethodDetails")
            if isinstance(details, str) and details in exclude:
                continue
        acc.processes += 1
        # Room for 2^16 first-seen ids per process, so ids first seen together keep their order.
        tallies.stamp = (base + offset) << 16
        process = Process(release, ocid, dates, bid_ids)
        out = Out()
        for step in steps:
            applicable = step.fold(process, out, acc)
            if coverage and applicable:
                acc.t.applicable[step.code] = acc.t.applicable.get(step.code, 0) + 1
            elif not_applicable and step.code in CODES_ON_OCID:
                out.flag(step.code, None)
            if step.code == "ratio" and not_applicable and not applicable:
                for code in ("R024", "R058"):
                    if code in ctx.enabled:
                        out.flag(code, None)
        if out.ocid or out.tenderer or out.r036:
            acc.records.append((ocid, out.ocid, out.tenderer or None, out.r036))
    return acc

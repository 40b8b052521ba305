"""Read line-delimited JSON in byte chunks and fold them, on several cores when it pays.

Chunks end at a newline, so no line is split. Workers fold chunks; the parent merges their
partials strictly in input order, so output does not depend on timing. At most a few chunks are
in flight at once (not `Pool.imap`, whose feeder would read the whole input ahead), which bounds
memory to about (workers × 2 + 1) chunks plus the tallies.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult
from typing import BinaryIO

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.fold import fold_chunk
from tenderwatch.ocds.cardinal.indicators.partial import Partial
from tenderwatch.ocds.cardinal.indicators.steps import build_steps

CHUNK_BYTES = 4 * 2**20

_worker_ctx: Context | None = None
_worker_steps: list[Step] = []


def chunks(stream: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
    """(bytes ending at a newline or at end of input, number of its first line)."""
    line = 1
    rest = b""
    while True:
        block = stream.read(size)
        if not block:
            break
        block = rest + block
        cut = block.rfind(b"\n")
        if cut < 0:
            rest = block
            continue
        chunk, rest = block[: cut + 1], block[cut + 1 :]
        yield chunk, line
        line += chunk.count(b"\n")
    if rest:
        yield rest, line


def _init(ctx: Context) -> None:
    global _worker_ctx, _worker_steps
    _worker_ctx = ctx
    _worker_steps = build_steps(ctx)


def _work(chunk: bytes, line: int) -> Partial:
    assert _worker_ctx is not None
    return fold_chunk(chunk, line, _worker_ctx, _worker_steps)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def fold_stream(
    stream: BinaryIO, ctx: Context, workers: int | None = None, size: int = CHUNK_BYTES
) -> Partial:
    """Fold every line of the stream into one partial, in input order."""
    workers = default_workers() if workers is None else workers
    source = chunks(stream, size)
    first = next(source, None)
    merged = Partial()
    if first is None:
        return merged
    second = next(source, None)
    if second is None or workers <= 1:
        # Small input or one core: no process start-up cost.
        steps = build_steps(ctx)
        for chunk, line in [first] + ([second] if second else []):
            merged.merge(fold_chunk(chunk, line, ctx, steps))
        for chunk, line in source:
            merged.merge(fold_chunk(chunk, line, ctx, steps))
        return merged
    pending: deque[AsyncResult[Partial]] = deque()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init, initargs=(ctx,)) as pool:
        for chunk, line in _chain(first, second, source):
            pending.append(pool.apply_async(_work, (chunk, line)))
            while len(pending) > workers * 2:
                merged.merge(pending.popleft().get())
        while pending:
            merged.merge(pending.popleft().get())
    return merged


def _chain(
    first: tuple[bytes, int], second: tuple[bytes, int], rest: Iterator[tuple[bytes, int]]
) -> Iterator[tuple[bytes, int]]:
    yield first
    yield second
    yield from rest

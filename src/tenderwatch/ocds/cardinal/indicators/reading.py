"""Read line-delimited JSON in byte chunks and fold them, on several cores when it pays.

Chunks end at a newline, so no line is split. Worker processes (forked, so the settings need no
pickling) take numbered chunks from a bounded queue, fold them, and send back each chunk's
ordered parts; their tallies stay with them until the end. The parent only reads, hands out
chunks and appends ordered parts in chunk order, so output does not depend on timing, and at
most about (workers × 2 + workers) chunks are in memory at once.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterator
from multiprocessing.queues import Queue
from typing import BinaryIO

from tenderwatch.ocds.cardinal.indicators.collect import absorb
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.fold import fold_chunk
from tenderwatch.ocds.cardinal.indicators.partial import Partial, Tallies
from tenderwatch.ocds.cardinal.indicators.steps import build_steps

CHUNK_BYTES = 4 * 2**20

Task = tuple[int, bytes, int] | None
Result = tuple[int, Partial] | tuple[int, Tallies]


def chunks(stream: BinaryIO, size: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
    """(bytes ending at a newline or at end of input, number of its first line)."""
    line = 1
    rest = b""
    while True:
        block = stream.read(size)
        if not block:
            break
        if rest:
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


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def _worker(ctx: Context, tasks: Queue[Task], results: Queue[Result]) -> None:
    steps = build_steps(ctx)
    tallies = Tallies()
    while (task := tasks.get()) is not None:
        index, chunk, line = task
        part = fold_chunk(chunk, line, ctx, steps, tallies, index)
        part.t = Tallies()  # the tallies stay here until the end; don't pickle them per chunk
        results.put((index, part))
    results.put((-1, tallies))


def fold_stream(
    stream: BinaryIO, ctx: Context, workers: int | None = None, size: int = CHUNK_BYTES
) -> Partial:
    """Fold every line of the stream into one partial, in input order."""
    workers = default_workers() if workers is None else workers
    source = chunks(stream, size)
    first = next(source, None)
    second = next(source, None) if first is not None else None
    if second is None or workers <= 1:
        # Small input or one core: no process start-up cost.
        merged = Partial()
        steps = build_steps(ctx)
        for index, (chunk, line) in enumerate(_chain(first, second, source)):
            absorb(merged, fold_chunk(chunk, line, ctx, steps, merged.t, index), ctx)
        merged.t.in_input_order()
        return merged
    return _parallel(_chain(first, second, source), ctx, workers)


def _parallel(source: Iterator[tuple[bytes, int]], ctx: Context, workers: int) -> Partial:
    mp = multiprocessing.get_context("fork")
    tasks: Queue[Task] = mp.Queue(maxsize=workers * 2)
    results: Queue[Result] = mp.Queue()
    procs = [mp.Process(target=_worker, args=(ctx, tasks, results), daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    merged = Partial()
    waiting: dict[int, Partial] = {}
    next_index = 0
    finished = 0

    def drain(block: bool) -> None:
        nonlocal next_index, finished
        while True:
            if not block and results.empty():
                return
            try:
                index, part = results.get(timeout=1.0)
            except queue.Empty:
                # A worker that died (a bug, or killed for memory) would otherwise hang us.
                if any(proc.exitcode not in (None, 0) for proc in procs):
                    raise RuntimeError("an indicator worker process died") from None
                continue
            block = False
            if isinstance(part, Tallies):
                merged.t.merge(part)
                finished += 1
                continue
            waiting[index] = part
            while next_index in waiting:
                absorb(merged, waiting.pop(next_index), ctx)
                next_index += 1

    try:
        count = 0
        for index, (chunk, line) in enumerate(source):
            tasks.put((index, chunk, line))
            count += 1
            drain(block=False)
        for _ in procs:
            tasks.put(None)
        while finished < workers or next_index < count:
            drain(block=True)
        for proc in procs:
            proc.join()
            if proc.exitcode != 0:
                raise RuntimeError(f"indicator worker failed with exit code {proc.exitcode}")
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
    merged.t.in_input_order()
    return merged


def _chain(
    first: tuple[bytes, int] | None, second: tuple[bytes, int] | None, rest: Iterator[tuple[bytes, int]]
) -> Iterator[tuple[bytes, int]]:
    if first is not None:
        yield first
    if second is not None:
        yield second
    yield from rest

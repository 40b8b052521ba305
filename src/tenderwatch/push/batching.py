"""Openings that arrive while a detection runs are detected together in the next one.

A detection of one section costs nearly what a detection of several costs: each model query reads the
market's figures once whatever the scope. So when openings come in a burst (the synthetic province, like
real ones, opens many sections at 09:00), running them one after the other makes the last wait for all
before it; running everything that queued up during one detection as the next detection makes every
opening wait for at most the detection in progress and its own. This is group commit, applied to
detection: the first request to find no detection running leads the next one and runs what is pending;
the others wait until the detection that includes their sections has finished.

One DuckDB detection at a time also keeps both cores for it, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

Work = dict[str, set[str]]  # event kind -> section codes


class DetectionBatcher:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: Work = {}
        self._started = 0  # detections started (numbered from 1)
        self._finished = 0  # detections finished
        self._running = False
        self._errors: dict[int, BaseException] = {}  # by detection, until its last request has read it
        self._members: dict[int, int] = {}  # requests waiting on each detection

    def run(self, work: dict[str, list[str]], detect: Callable[[Work], None]) -> None:
        """Have ``work`` detected, by this thread or by the one leading the detection that includes it;
        returns when that detection has finished, raising what it raised."""
        with self._cond:
            for kind, codes in work.items():
                self._pending.setdefault(kind, set()).update(codes)
            ticket = self._started + 1  # the detection that will include this work
            self._members[ticket] = self._members.get(ticket, 0) + 1
            while self._finished < ticket:
                if self._running:
                    self._cond.wait()
                    continue
                batch, self._pending = self._pending, {}
                self._started += 1
                self._running = True
                self._cond.release()
                error: BaseException | None = None
                try:
                    detect(batch)
                except BaseException as exc:  # handed to every request of this detection
                    error = exc
                finally:
                    self._cond.acquire()
                    self._running = False
                    self._finished = self._started
                    if error is not None:
                        self._errors[self._finished] = error
                    self._cond.notify_all()
            failed = self._errors.get(ticket)
            self._members[ticket] -= 1
            if not self._members[ticket]:
                del self._members[ticket]
                self._errors.pop(ticket, None)
        if failed is not None:
            raise failed


_BATCHERS: dict[Path, DetectionBatcher] = {}
_GUARD = threading.Lock()


def batcher_for(lake_dir: Path) -> DetectionBatcher:
    """One batcher per lake in this process (two apps over one lake share it, as they share the data)."""
    with _GUARD:
        return _BATCHERS.setdefault(lake_dir.resolve(), DetectionBatcher())

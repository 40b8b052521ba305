"""Openings queued behind a running detection are detected together, once, in the next one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from tenderwatch.push.batching import DetectionBatcher, Work


def _wait_until_pending(batcher: DetectionBatcher, codes: set[str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with batcher._cond:
            if codes <= batcher._pending.get("section_opened", set()):
                return
        time.sleep(0.01)
    raise AssertionError(f"{codes} never queued")


def _burst(
    batcher: DetectionBatcher,
    request: Callable[[str], None],
    running: threading.Event,
    release: threading.Event,
    while_queued: Callable[[], None] = lambda: None,
) -> None:
    """Request A; once its detection runs, request B and C; once both are queued, let A's finish."""
    first = threading.Thread(target=request, args=("A",))
    first.start()
    assert running.wait(10)
    queued = [threading.Thread(target=request, args=(c,)) for c in ("B", "C")]
    for t in queued:
        t.start()
    _wait_until_pending(batcher, {"B", "C"})
    while_queued()
    release.set()
    for t in [first, *queued]:
        t.join(10)


def test_requests_arriving_during_a_detection_share_the_next_one() -> None:
    batcher = DetectionBatcher()
    calls: list[Work] = []
    first_running = threading.Event()
    release_first = threading.Event()
    returned: dict[str, int] = {}

    def detect(work: Work) -> None:
        calls.append({k: set(v) for k, v in work.items()})
        if len(calls) == 1:
            first_running.set()
            assert release_first.wait(10)

    def request(code: str) -> None:
        batcher.run({"section_opened": [code]}, detect)
        returned[code] = len(calls)  # how many detections had run when this request got its answer

    def still_waiting() -> None:
        assert "B" not in returned and "C" not in returned  # they wait for a detection that includes them

    _burst(batcher, request, first_running, release_first, still_waiting)
    assert calls == [{"section_opened": {"A"}}, {"section_opened": {"B", "C"}}]
    assert returned["B"] == returned["C"] == 2


def test_a_failed_detection_fails_every_request_it_held_and_the_next_one_runs() -> None:
    batcher = DetectionBatcher()
    running = threading.Event()
    release = threading.Event()
    attempts: list[Work] = []
    errors: dict[str, str] = {}

    def detect(work: Work) -> None:
        attempts.append(work)
        if len(attempts) == 1:
            running.set()
            assert release.wait(10)
            return
        if len(attempts) == 2:
            raise RuntimeError("lake unreadable")

    def request(code: str) -> None:
        try:
            batcher.run({"section_opened": [code]}, detect)
        except RuntimeError as exc:
            errors[code] = str(exc)

    _burst(batcher, request, running, release)
    assert errors == {"B": "lake unreadable", "C": "lake unreadable"}
    batcher.run({"section_opened": ["D"]}, detect)  # the batcher is not stuck after a failure
    assert attempts[-1] == {"section_opened": {"D"}}
    with pytest.raises(RuntimeError):
        batcher.run({"section_opened": ["E"]}, lambda work: (_ for _ in ()).throw(RuntimeError("x")))

"""``tenderwatch replay``: a synthetic province's live events pushed through the real HTTP API.

The history (registries, and every section announced before the window) is imported as files first;
then the window's events go to ``POST /api/v1/events`` in time order from ``clients`` concurrent
clients. A project's events always go through the same client, so its announcement precedes its bids
and a bid its bond, as on a real platform. An opening is sent on its own, at once; other events are
batched while they are due. Pacing: ``speed`` compresses the event times (0: as fast as possible), or
``rate`` sends a fixed number of events per second regardless of their times (the benchmark).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tenderwatch.auth import service as auth_service
from tenderwatch.auth import tokens
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.push.timeline import Timeline

REPLAY_USER = "replay-platform"


@dataclass(slots=True)
class Stats:
    requests: int = 0
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    warnings: set[int] = field(default_factory=set)
    openings: list[float] = field(default_factory=list)  # seconds from sending an opening to its answer
    others: list[float] = field(default_factory=list)
    # of each opening: the server's own seconds for detection and cases (the answer's detect_seconds)
    detecting: list[float] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, body: dict[str, Any], seconds: float, opening: bool) -> None:
        with self.lock:
            self.requests += 1
            for key in ("received", "accepted", "rejected", "duplicates"):
                setattr(self, key, getattr(self, key) + int(body[key]))
            self.warnings.update(int(w["id"]) for w in body["warnings"])
            (self.openings if opening else self.others).append(seconds)
            if opening and body.get("detect_seconds") is not None:
                self.detecting.append(float(body["detect_seconds"]))
            for result in body["results"]:
                for problem in result["problems"][:1]:
                    self.reasons[problem["code"]] += 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))] if ordered else float("nan")


def summary(stats: Stats, seconds: float) -> dict[str, Any]:
    return {
        "requests": stats.requests,
        "received": stats.received,
        "accepted": stats.accepted,
        "rejected": stats.rejected,
        "duplicates": stats.duplicates,
        "warnings": len(stats.warnings),
        "seconds": round(seconds, 2),
        "events_per_second": round(stats.received / seconds, 1) if seconds else None,
        "openings": len(stats.openings),
        "opening_median_s": round(statistics.median(stats.openings), 3) if stats.openings else None,
        "opening_p95_s": round(percentile(stats.openings, 0.95), 3) if stats.openings else None,
        "opening_detect_median_s": round(statistics.median(stats.detecting), 3) if stats.detecting else None,
        "opening_detect_p95_s": round(percentile(stats.detecting, 0.95), 3) if stats.detecting else None,
        "other_median_s": round(statistics.median(stats.others), 3) if stats.others else None,
        "other_p95_s": round(percentile(stats.others, 0.95), 3) if stats.others else None,
        "reasons": dict(stats.reasons),
    }


def prepare(settings: Settings, timeline: Timeline) -> str:
    """Import the history as files and issue a platform token; returns the token."""
    db = Database(settings)
    db.upgrade()
    try:
        results = ingest_paths(db, [timeline.history_dir])
        if any(r.status == "failed" or r.rejected for r in results):
            raise UserError("历史数据导入有拒收记录", "the history import rejected records")
        with db.transaction() as session:
            if auth_service.get_by_username(db_session=session, username=REPLAY_USER) is None:
                auth_service.create_user(
                    db_session=session,
                    username=REPLAY_USER,
                    display_name="回放平台 replay platform",
                    password=os.urandom(16).hex(),
                    grants=[("platform", "33", [])],
                )
            _row, clear = tokens.create_token(
                db_session=session, username=REPLAY_USER, name="replay", actor="replay"
            )
        return clear
    finally:
        db.dispose()


class LoopbackServer:
    """``tenderwatch`` served by uvicorn in a child process on 127.0.0.1, so its CPU is its own."""

    def __init__(self, data_dir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        env = {**os.environ, "TENDERWATCH_DATA_DIR": str(data_dir), "TENDERWATCH_JOBS_ENABLED": "false"}
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "tenderwatch.web.app:serving_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(cmd, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/api/openapi.json", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise UserError("本地服务未能启动", "the loopback server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _lane(event: dict[str, Any], clients: int, project_of: dict[str, str]) -> int:
    # By project: the sections of one project share its record, which rides with the first of them.
    section = str(event["payload"].get("section_code", event["event_id"]))
    return zlib.crc32(project_of.get(section, section).encode()) % clients


def push_all(
    url: str,
    token: str,
    events: list[dict[str, Any]],
    *,
    clients: int,
    speed: float = 0.0,
    rate: float = 0.0,
    batch: int = 200,
) -> dict[str, Any]:
    """Push ``events`` (in time order) from ``clients`` threads; returns the figures."""
    lanes: list[list[tuple[float, dict[str, Any]]]] = [[] for _ in range(clients)]
    first = datetime.fromisoformat(events[0]["occurred_at"]) if events else datetime.now()
    project_of = {
        str(e["payload"]["section_code"]): str(e["payload"].get("tender_project_code"))
        for e in events
        if e["type"] == "section_announced"
    }
    for position, event in enumerate(events):
        if rate > 0:
            due = position / rate
        elif speed > 0:
            due = (datetime.fromisoformat(event["occurred_at"]) - first).total_seconds() / speed
        else:
            due = 0.0
        lanes[_lane(event, clients, project_of)].append((due, event))
    stats = Stats()
    failures: list[str] = []
    started = time.perf_counter()

    def run(lane: list[tuple[float, dict[str, Any]]]) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=300) as client:
            i = 0
            while i < len(lane):
                wait = lane[i][0] - (time.perf_counter() - started)
                if wait > 0:
                    time.sleep(wait)
                now = time.perf_counter() - started
                chunk = [lane[i][1]]
                i += 1
                opening = chunk[0]["type"] == "section_opened"
                # Everything already due rides along, except an opening: it goes alone and at once.
                while not opening and i < len(lane) and len(chunk) < batch and lane[i][0] <= now:
                    if lane[i][1]["type"] == "section_opened":
                        break
                    chunk.append(lane[i][1])
                    i += 1
                sent = time.perf_counter()
                response = client.post("/api/v1/events", json={"events": chunk})
                took = time.perf_counter() - sent
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:300]}")
                    return
                stats.add(response.json(), took, opening)

    threads = [threading.Thread(target=run, args=(lane,), daemon=True) for lane in lanes if lane]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise UserError(f"推送失败：{failures[0]}", f"push failed: {failures[0]}")
    return summary(stats, time.perf_counter() - started)


def busiest_hour(events: list[dict[str, Any]]) -> tuple[str, int, int]:
    """(hour, events in it, openings in it): the window's busiest clock hour."""
    per_hour: Counter[str] = Counter(e["occurred_at"][:13] for e in events)
    if not per_hour:
        return ("", 0, 0)
    hour, count = per_hour.most_common(1)[0]
    openings = sum(1 for e in events if e["occurred_at"][:13] == hour and e["type"] == "section_opened")
    return hour, count, openings

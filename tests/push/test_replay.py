"""``tenderwatch replay`` end to end on the tiny province: history imported, the window's events pushed
through the real HTTP API (a uvicorn child on loopback) by two clients, every event accepted."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.push.cli import run_replay
from tenderwatch.push.models import PushEvent
from tenderwatch.synth import generate


def test_a_tiny_replay_pushes_every_event_of_its_window(tmp_path: Path) -> None:
    generate("tiny", 1, tmp_path / "synth")

    report = run_replay(
        scale="tiny", seed=1, days=20, clients=2, work_dir=tmp_path / "work", synth_dir=tmp_path / "synth"
    )

    assert report["live_sections"] > 0 and report["openings"] == report["live_sections"]
    assert report["received"] == report["events"] == report["accepted"]
    assert report["rejected"] == 0 and report["duplicates"] == 0
    assert report["opening_detect_median_s"] is not None  # every opening was detected before its answer
    db = Database(Settings(data_dir=tmp_path / "work" / "var"))
    with db.session() as session:
        stored = session.scalar(select(func.count(PushEvent.id)).where(PushEvent.status == "accepted"))
    db.dispose()
    assert stored == report["events"]

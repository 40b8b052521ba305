"""The warm lake equals the cold current views after every kind of change, and detection on it raises
the same hits."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import committed_batches, detect
from tenderwatch.engine.models import Hit, ModelRun
from tenderwatch.ingest import service as ingest_service
from tenderwatch.lake.derived import DERIVED
from tenderwatch.lake.views import LakeBatch, connect
from tenderwatch.lake.warm import WarmLake
from tenderwatch.push.flows import push_events
from tenderwatch.push.realtime import stage_models
from tenderwatch.push.schemas import EventIn
from tests.push.conftest import Live
from tests.push.helpers import a_bid


def _rows(con: Any, dataset: str) -> list[str]:
    return sorted(repr(row) for row in con.execute(f'SELECT * FROM "{dataset}"').fetchall())


def assert_same_as_cold(lake: WarmLake, batches: list[LakeBatch]) -> None:
    cold = connect(get_catalog(), batches)
    warm = lake.cursor()
    try:
        for name in [d.id for d in get_catalog().datasets] + [d.name for d in DERIVED]:
            assert _rows(warm, name) == _rows(cold, name), name
    finally:
        cold.close()
        warm.close()


def _bid_event(event_id: str, bid: dict[str, Any], price: str) -> EventIn:
    return EventIn(
        event_id=event_id,
        type="bid_submitted",
        occurred_at=datetime(2026, 3, 2),
        payload=bid | {"bid_price": price},
    )


def _price(lake: WarmLake, bid: dict[str, Any]) -> str:
    cursor = lake.cursor()
    try:
        row = cursor.execute(
            "SELECT CAST(bid_price AS VARCHAR) FROM bids WHERE section_code = ? AND bidder_uscc = ?",
            [bid["section_code"], bid["bidder_uscc"]],
        ).fetchone()
    finally:
        cursor.close()
    assert row is not None
    return str(row[0])


def test_new_versions_replace_their_keys_and_a_rollback_brings_the_older_back(live: Live) -> None:
    db = live.db
    bid = a_bid(db)
    lake = WarmLake(get_catalog())
    first = lake.sync(lambda: committed_batches(db))
    assert set(first.built) == {d.id for d in get_catalog().datasets}
    old_price = _price(lake, bid)

    result = push_events(db, source="p", token_id="tw_x", events=[_bid_event("b-1", bid, "1234.00")])
    assert result.count("accepted") == 1
    report = lake.sync(lambda: committed_batches(db))
    assert report.built == [] and "bids" in report.applied  # applied in place, nothing rebuilt
    assert _price(lake, bid) == "1234.00"
    assert_same_as_cold(lake, committed_batches(db))

    pushed = max(b.batch_id for b in committed_batches(db) if b.dataset == "bids")
    with db.transaction() as session:
        ingest_service.rollback(db_session=session, batch_id=pushed, actor="test")
    report = lake.sync(lambda: committed_batches(db))
    assert report.built == [] and report.restored == {"bids": 1}
    assert _price(lake, bid) == old_price
    assert_same_as_cold(lake, committed_batches(db))
    lake.close()


def test_a_compaction_is_applied_without_rebuilding(live: Live) -> None:
    db = Database(Settings(data_dir=live.db.settings.data_dir, push_compact_after=2))
    bid = a_bid(db)
    lake = WarmLake(get_catalog())
    lake.sync(lambda: committed_batches(db))
    for n in range(1, 5):
        push_events(db, source="p", token_id="tw_x", events=[_bid_event(f"c-{n}", bid, f"{1000 + n}.00")])
        report = lake.sync(lambda: committed_batches(db))
        assert report.built == []
        assert_same_as_cold(lake, committed_batches(db))
    assert _price(lake, bid) == "1004.00"
    lake.close()
    db.dispose()


def test_a_batch_committed_out_of_id_order_rebuilds_its_dataset(live: Live) -> None:
    db = live.db
    bid = a_bid(db)
    for n in (1, 2):
        push_events(db, source="p", token_id="tw_x", events=[_bid_event(f"o-{n}", bid, f"{2000 + n}.00")])
    batches = committed_batches(db)
    late = min(b.batch_id for b in batches if b.dataset == "bids" and b.batch_id > 1)
    lake = WarmLake(get_catalog())
    lake.sync(lambda: [b for b in batches if b.batch_id != late])
    report = lake.sync(lambda: batches)
    assert "bids" in report.built
    assert_same_as_cold(lake, batches)
    lake.close()


def test_a_reader_keeps_its_snapshot_while_later_batches_are_applied(live: Live) -> None:
    db = live.db
    bid = a_bid(db)
    lake = WarmLake(get_catalog())
    lake.sync(lambda: committed_batches(db))
    before = _price(lake, bid)
    reader = lake.cursor()
    push_events(db, source="p", token_id="tw_x", events=[_bid_event("s-1", bid, "3333.00")])
    lake.sync(lambda: committed_batches(db))
    (seen,) = reader.execute(
        "SELECT CAST(bid_price AS VARCHAR) FROM bids WHERE section_code = ? AND bidder_uscc = ?",
        [bid["section_code"], bid["bidder_uscc"]],
    ).fetchone() or ("",)
    reader.close()
    assert seen == before and _price(lake, bid) == "3333.00"
    lake.close()


def _hits(db: Database, run_ids: list[int]) -> set[tuple[str, str | None, str, str, str]]:
    with db.session() as session:
        rows = session.scalars(select(Hit).where(Hit.run_id.in_(run_ids)))
        return {
            (h.model_id, h.section_code, h.subject_id, h.severity, json.dumps(h.evidence, sort_keys=True))
            for h in rows
        }


def _runs_since(db: Database, after: int) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(ModelRun.id).where(ModelRun.id > after)))


def test_detection_on_the_warm_lake_finds_exactly_what_the_cold_views_find(live: Live) -> None:
    db = live.db
    models = stage_models("section_opened")
    planted = [s for s in live.truth["schemes"] if s["model"] in models]
    sections = sorted({code for s in planted for code in s["sections"]})[:8]
    lake = WarmLake(get_catalog())
    cold_runs = _runs_since(db, 0)
    detect(db, model_ids=models, sections=sections)
    warm_start = max(_runs_since(db, 0))
    detect(db, model_ids=models, sections=sections, lake=lake)
    cold = _hits(db, [r for r in _runs_since(db, max(cold_runs, default=0)) if r <= warm_start])
    warm = _hits(db, _runs_since(db, warm_start))
    assert cold, "the planted sections must give hits"
    assert warm == cold
    lake.close()


def test_the_detection_benchmark_times_the_section_models_on_both_paths(live: Live) -> None:
    from tenderwatch.bench.detect_worker import _opening, _realtime

    cold, warm = _realtime(live.db, 3), _realtime(live.db, 3, warm=True)
    assert cold["sections"] == warm["sections"] == 3 and cold["models"] == warm["models"]
    assert "load_seconds" in warm and "load_seconds" not in cold
    runs_before = len(_runs_since(live.db, 0))
    opening = _opening(live.db, 2)  # the opening stage through detect, as the server runs it
    assert opening["sections"] == 2 and opening["models"] == len(stage_models("section_opened"))
    assert len(_runs_since(live.db, 0)) == runs_before + 2 * opening["models"]  # each model's run stored


def test_the_serving_app_loads_the_warm_lake_at_start(live: Live) -> None:
    import time

    from fastapi.testclient import TestClient

    from tenderwatch.web.app import create_app

    app = create_app(live.db.settings, warm_lake=True)
    with TestClient(app):
        lake: WarmLake = app.state.warm_lake
        everything = {d.id for d in get_catalog().datasets}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and set(lake._applied) != everything:
            time.sleep(0.05)
        assert set(lake._applied) == everything
        assert_same_as_cold(lake, committed_batches(live.db))

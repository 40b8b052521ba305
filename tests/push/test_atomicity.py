"""A request is all or nothing: a failure while its batches are being published leaves no trace."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from tenderwatch.ingest.models import Batch
from tenderwatch.lake import store
from tenderwatch.push import flows
from tenderwatch.push.models import PushEvent
from tenderwatch.push.schemas import EventIn
from tests.push.conftest import Live
from tests.push.helpers import a_bid


def test_a_failure_after_the_first_publish_leaves_neither_rows_nor_folders(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake_dir = live.db.settings.lake_dir
    before = {p.relative_to(lake_dir) for p in lake_dir.glob("*/*") if p.is_dir()}
    published: list[store.StagedBatch] = []
    real_publish = store.publish

    def publish_then_fail(staged: store.StagedBatch) -> None:
        if published:
            raise OSError("disk full")
        real_publish(staged)
        published.append(staged)

    monkeypatch.setattr(store, "publish", publish_then_fail)
    bid = a_bid(live.db) | {"bid_fingerprints": {"machine_code": "M-1"}}
    event = EventIn(event_id="b-1", type="bid_submitted", occurred_at=datetime(2026, 3, 2), payload=bid)

    with pytest.raises(OSError):
        flows.push_events(live.db, source="p", token_id="tw_x", events=[event])

    assert published  # the first dataset's folder was in place when the second failed
    with live.db.session() as session:
        assert session.scalar(select(func.count(PushEvent.id))) == 0
        assert session.scalar(select(func.count(Batch.id)).where(Batch.source == "push")) == 0
    after = {p.relative_to(lake_dir) for p in lake_dir.glob("*/*") if p.is_dir()}
    assert after - before <= {p for p in after if p.parts[0] == store.STAGING}
    assert not (lake_dir / store.STAGING).exists() or not any((lake_dir / store.STAGING).iterdir())

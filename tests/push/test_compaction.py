"""Compaction keeps the views short and changes no current record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest.models import Batch
from tenderwatch.push.flows import push_events
from tenderwatch.push.realtime import stage_models
from tenderwatch.push.schemas import EventIn
from tests.push.conftest import Live
from tests.push.helpers import a_bid, lake_rows


def test_a_run_of_push_batches_becomes_one_and_the_latest_version_still_wins(live: Live) -> None:
    db = Database(Settings(data_dir=live.db.settings.data_dir, push_compact_after=2))
    bid = a_bid(db)
    for n in range(1, 5):
        payload = bid | {"bid_price": f"{1000 + n}.00"}
        event = EventIn(
            event_id=f"b-{n}", type="bid_submitted", occurred_at=datetime(2026, 3, 2), payload=payload
        )
        result = push_events(db, source="p", token_id="tw_x", events=[event])
        assert result.count("accepted") == 1

    with db.session() as session:
        pushed = list(session.scalars(select(Batch).where(Batch.source == "push").order_by(Batch.id)))
    live_batches = [b for b in pushed if b.status == "committed"]
    assert len(live_batches) <= 2 and any(b.status == "compacted" for b in pushed)
    assert sum(b.received for b in pushed if b.file_format == "push") == 4  # the deliveries still reconcile
    # A later request's clean-up keeps the compacted batches' files (lineage; readers that started before).
    compacted = [b for b in pushed if b.status == "compacted"]
    assert all((db.settings.lake_dir / str(b.lake_path) / "data.parquet").is_file() for b in compacted)
    (row,) = lake_rows(
        db,
        f"SELECT bid_price FROM bids WHERE section_code = '{bid['section_code']}' "
        f"AND bidder_uscc = '{bid['bidder_uscc']}'",
    )
    assert row["bid_price"] == "1004.00"
    db.dispose()


def test_each_stage_runs_the_models_whose_data_it_completes() -> None:
    opened, candidates, award = (stage_models(k) for k in ("section_opened", "candidates_published", "award"))
    assert "C01" in opened and "C25" in candidates and "C24" in award
    assert not set(opened) & set(candidates) and not set(candidates) & set(award)

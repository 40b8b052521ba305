"""Reading records of the test lake, to build events about sections that exist."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.lake.views import connect


def lake_rows(db: Database, sql: str) -> list[dict[str, Any]]:
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(get_catalog(), batches)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [{n: _json(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]
    finally:
        con.close()


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def a_bid(db: Database) -> dict[str, Any]:
    """A bid of the lake, as a bid_submitted payload (without the lake's own columns)."""
    row = lake_rows(
        db, "SELECT * EXCLUDE (_batch_id, _line) FROM bids ORDER BY section_code, bidder_uscc LIMIT 1"
    )[0]
    return {k: v for k, v in row.items() if v is not None}


def event(
    event_id: str, kind: str, payload: dict[str, Any], at: str = "2026-03-02 09:00:00"
) -> dict[str, Any]:
    return {"event_id": event_id, "type": kind, "occurred_at": at, "payload": payload}

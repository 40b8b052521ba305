"""``push_events``: one request of pushed events, validated like a file and committed all or nothing.

Order of effects, as in file import (ingest/flows.py), so a crash is harmless:

1. under the lake lock, each dataset's accepted records are written as one staged Parquet batch (with
   the records as delivered, one JSON line each, as the batch's raw copy) — one batch per dataset per
   request, not per event: a batch's fixed cost (fsync, a database row, a file the views read) is paid
   once per request;
2. one database transaction records those batches, their rejects and one ``push_event`` row per new
   event, renames the staged folders into the lake, and commits.

Nothing accepted is answered before the commit, and a crash before it leaves only folders that no view
reads and the next import removes. An event is accepted only if every record it carries is; the others
of a rejected event are quarantined with the reason ``event_rejected``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError
from sqlalchemy import insert

from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.schemas import Catalog, Reference
from tenderwatch.db import Database, utcnow
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.flows import lake_lock
from tenderwatch.ingest.models import Batch, Reject
from tenderwatch.ingest.readers import RawTable
from tenderwatch.ingest.validate import RejectRecord, Validated, validate
from tenderwatch.lake import store, views
from tenderwatch.lake.views import LakeBatch
from tenderwatch.lake.warm import WarmLake
from tenderwatch.push import service
from tenderwatch.push.compaction import compact
from tenderwatch.push.events import KINDS
from tenderwatch.push.models import PushEvent
from tenderwatch.push.records import Problem, Unit, body_hash, build_records, push_reason
from tenderwatch.push.schemas import EventIn


@dataclass(slots=True)
class Outcome:
    event_id: str
    status: str  # accepted | rejected | duplicate
    outcome: str  # accepted | rejected (for a duplicate: the original's)
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class PushResult:
    outcomes: list[Outcome]
    accepted_sections: dict[str, list[str]]  # event type -> section codes accepted in this request

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)


@dataclass(slots=True)
class _Table:
    """One dataset's records of the request; ``lines[i]`` is the record's line in the batch's raw file."""

    dataset: str
    records: list[dict[str, str]] = field(default_factory=list)
    units: list[int] = field(default_factory=list)  # the unit (event index) of each record


def push_raw(
    db: Database, *, source: str, token_id: str, items: list[dict[str, Any]], lake: WarmLake | None = None
) -> PushResult:
    """Check each item's envelope, push the well-formed ones, answer in request order."""
    parsed: list[EventIn] = []
    bad: dict[int, Outcome] = {}
    for position, item in enumerate(items):
        try:
            parsed.append(EventIn.model_validate(item))
        except ValidationError as exc:
            where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            zh, en = push_reason("bad_envelope", where, detail_en=where)
            event_id = str(item.get("event_id", ""))
            bad[position] = Outcome(event_id, "rejected", "rejected", [Problem("", "bad_envelope", zh, en)])
    result = (
        push_events(db, source=source, token_id=token_id, events=parsed, lake=lake)
        if parsed
        else PushResult([], {})
    )
    good = iter(result.outcomes)
    result.outcomes = [bad[i] if i in bad else next(good) for i in range(len(items))]
    return result


def push_events(
    db: Database, *, source: str, token_id: str, events: list[EventIn], lake: WarmLake | None = None
) -> PushResult:
    """Validate, store and answer a request's events. ``lake``: validate against a warm lake (brought up
    to date under the lake lock) instead of opening the Parquet files the request's references need."""
    catalog = get_catalog()
    outcomes: list[Outcome | None] = [None] * len(events)
    units: list[Unit] = []
    with lake_lock(db.settings.lake_dir):
        with db.session() as session:
            known = service.get_by_event_ids(
                db_session=session, source=source, event_ids=[e.event_id for e in events]
            )
            batches = ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
            # Like file import: leftovers of a crash go; folders a batch row names (compacted too) stay.
            store.collect_garbage(db.settings.lake_dir, service.lake_paths(db_session=session))
        seen: dict[str, Unit] = {}
        for position, event in enumerate(events):
            sha = body_hash(event)
            earlier = known.get(event.event_id)
            if earlier is not None or event.event_id in seen:
                original_sha = earlier.body_sha256 if earlier is not None else seen[event.event_id].sha
                outcomes[position] = _repeat(event.event_id, sha, original_sha, earlier)
                continue
            unit = Unit(position + 1, event, sha)
            seen[event.event_id] = unit
            units.append(unit)
        con = _lake_connection(db, catalog, batches, units, lake)
        try:
            current = _current_sections(
                con, [u.section_code for u in units if KINDS[u.event.type].mode == "update"]
            )
            for unit in units:
                build_records(unit, catalog, current)
            tables, validated = _validate_all(con, catalog, units, warm=lake is not None)
        finally:
            con.close()
        _commit(db, catalog, source, token_id, units, tables, validated)
        for dataset in validated:
            compact(db, dataset, db.settings.push_compact_after)
    accepted_sections: dict[str, list[str]] = {}
    for unit in units:
        status = "rejected" if unit.problems else "accepted"
        outcomes[unit.index - 1] = Outcome(unit.event.event_id, status, status, unit.problems)
        if status == "accepted" and unit.section_code is not None:
            accepted_sections.setdefault(unit.event.type, []).append(unit.section_code)
    # Duplicates of an event first seen in this same request take its final outcome.
    by_id = {u.event.event_id: u for u in units}
    final: list[Outcome] = []
    for outcome in outcomes:
        assert outcome is not None
        if outcome.status == "duplicate" and outcome.outcome == "pending":
            first = by_id[outcome.event_id]
            outcome.outcome = "rejected" if first.problems else "accepted"
        final.append(outcome)
    return PushResult(final, accepted_sections)


def _lake_connection(
    db: Database, catalog: Catalog, batches: list[LakeBatch], units: list[Unit], lake: WarmLake | None
) -> Any:
    if lake is not None:
        # Read under the lake lock, which every commit takes: no list can be newer than this one.
        lake.sync(lambda: batches)
        return lake.cursor()
    # Views only for what this request reads: a connection over every dataset costs more to set up
    # (tens of views) than a small request takes to validate.
    needed = _read_datasets(catalog, {u.event.type for u in units})
    narrow = catalog.model_copy(update={"datasets": tuple(d for d in catalog.datasets if d.id in needed)})
    return views.connect(
        narrow,
        [b for b in batches if b.dataset in needed],
        db.settings.duckdb_memory_limit,
        db.settings.duckdb_threads,
    )


def _read_datasets(catalog: Catalog, kinds: set[str]) -> set[str]:
    """The datasets whose lake data events of these kinds need: sections for state changes, and every
    dataset referenced by a dataset they carry."""
    carried = {d for k in kinds for d in (KINDS[k].dataset, *KINDS[k].nested)}
    return {"sections"} | {r.dataset for d in carried for r in catalog.dataset(d).references}


def _repeat(event_id: str, sha: str, original_sha: str, earlier: PushEvent | None) -> Outcome:
    if sha != original_sha:
        zh, en = push_reason("event_id_conflict", event_id)
        return Outcome(event_id, "rejected", "rejected", [Problem("event_id", "event_id_conflict", zh, en)])
    if earlier is None:
        return Outcome(event_id, "duplicate", "pending")
    problems = [Problem(p["field"], p["code"], p["zh"], p["en"], p.get("dataset")) for p in earlier.errors]
    return Outcome(event_id, "duplicate", earlier.status, problems)


def _current_sections(con: Any, codes: list[str | None]) -> dict[str, dict[str, Any]]:
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    cursor = con.execute(
        "SELECT * EXCLUDE (_batch_id, _line) FROM sections WHERE section_code IN (SELECT unnest(?))", [wanted]
    )
    names = [d[0] for d in cursor.description]
    return {str(row[0]): dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _validate_all(
    con: Any, catalog: Catalog, units: list[Unit], *, warm: bool = False
) -> tuple[dict[str, _Table], dict[str, Validated]]:
    """Validate every dataset of the request in import order, until no event is newly rejected.

    A later pass leaves out the records of events rejected in an earlier one, so nothing accepted
    refers to a record that will not be stored (a bond whose bid's event was rejected).
    """
    tables: dict[str, _Table] = {}
    for unit in units:
        for dataset, records in unit.records.items():
            table = tables.setdefault(dataset, _Table(dataset))
            table.records.extend(records)
            table.units.extend([unit.index] * len(records))
    by_index = {u.index: u for u in units}
    failed: dict[str, list[RejectRecord]] = {d: [] for d in tables}
    while True:
        validated: dict[str, Validated] = {}
        newly_rejected = False
        for spec in [d for d in catalog.import_order() if d.id in tables]:
            table = tables[spec.id]
            live = [i for i, u in enumerate(table.units) if not by_index[u].problems]
            result = validate(_raw(table, live), spec, catalog, _lookup(con, catalog, validated, warm))
            for reject in result.rejects:
                unit = by_index[table.units[reject.line - 1]]
                failed[spec.id].append(reject)
                newly_rejected = True
                unit.problems.extend(
                    Problem(e["field"], e["code"], e["message_zh"], e["message_en"], spec.id)
                    for e in reject.errors
                )
            validated[spec.id] = result
        if not newly_rejected:
            break
    for dataset, result in validated.items():
        table = tables[dataset]
        rejected_lines = {r.line for r in failed[dataset]}
        siblings = [
            i + 1 for i, u in enumerate(table.units) if by_index[u].problems and i + 1 not in rejected_lines
        ]
        zh, en = push_reason("event_rejected")
        result.rejects = failed[dataset] + [
            RejectRecord(line, None, "event_rejected", zh, en, [], table.records[line - 1])
            for line in siblings
        ]
        result.rejects.sort(key=lambda r: r.line)
        result.accepted = result.accepted.filter(
            ~pl.col("_line").is_in([i + 1 for i, u in enumerate(table.units) if by_index[u].problems])
        )
    return tables, validated


def _raw(table: _Table, live: list[int]) -> RawTable:
    headers = list(dict.fromkeys(k for i in live for k in table.records[i]))
    return RawTable(
        file_format="push",
        encoding="utf-8",
        headers=headers,
        rows=[[table.records[i].get(h, "") for h in headers] for i in live],
        lines=[i + 1 for i in live],
    )


def _lookup(
    con: Any, catalog: Catalog, validated: dict[str, Validated], warm: bool
) -> Callable[[Reference], pl.DataFrame | None]:
    """Keys in the lake, plus those accepted so far in this request (a section and its bids together)."""

    def lookup(ref: Reference) -> pl.DataFrame | None:
        target = catalog.dataset(ref.dataset)
        # A warm lake's current table has the history's key set without reading any file.
        known = views.distinct_keys(con, target, ref.fields, current=warm)
        fresh = validated.get(ref.dataset)
        if fresh is None or fresh.accepted.height == 0:
            return known
        ours = fresh.accepted.select(
            [pl.col(k).cast(pl.String).alias(n) for k, n in zip(target.key, ref.fields, strict=True)]
        )
        return pl.concat([known, ours]) if known is not None else ours

    return lookup


def _commit(
    db: Database,
    catalog: Catalog,
    source: str,
    token_id: str,
    units: list[Unit],
    tables: dict[str, _Table],
    validated: dict[str, Validated],
) -> None:
    request = uuid.uuid4().hex[:12]
    staged: list[tuple[Batch, store.StagedBatch | None, list[RejectRecord]]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="tenderwatch-push-") as scratch:
            for dataset, result in validated.items():
                table = tables[dataset]
                name = f"push-{request}-{dataset}.jsonl"
                raw = Path(scratch) / name
                lines = (json.dumps(r, ensure_ascii=False) for r in table.records)
                raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
                batch = Batch(
                    dataset=dataset,
                    file_name=name,
                    file_format="push",
                    encoding="utf-8",
                    sha256=_sha(raw),
                    size_bytes=raw.stat().st_size,
                    source="push",
                    uploaded_by=source,
                    unknown_columns=result.unknown_columns,
                    received=len(table.records),
                    accepted=result.accepted.height,
                    rejected=len(result.rejects),
                )
                lake = (
                    store.stage(db.settings.lake_dir, dataset, result.accepted, raw, name)
                    if batch.accepted
                    else None
                )
                staged.append((batch, lake, result.rejects))
        with db.transaction() as session:
            batch_of: dict[int, list[int]] = {}
            for batch, lake, rejects in staged:
                batch.lake_path = lake.relative_path if lake else None
                session.add(batch)
                session.flush()
                _rejects(session, batch.id, rejects)
                for unit in set(tables[batch.dataset].units):
                    batch_of.setdefault(unit, []).append(batch.id)
            now = utcnow()
            rows = [_event_row(u, source, token_id, batch_of.get(u.index, []), now) for u in units]
            for start in range(0, len(rows), 1000):
                session.execute(insert(PushEvent), rows[start : start + 1000])
            for _, lake, _ in staged:
                if lake is not None:
                    store.publish(lake)
    except BaseException:
        for _, lake, _ in staged:
            if lake is not None:
                store.discard(lake)
        raise


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rejects(session: Any, batch_id: int, rejects: list[RejectRecord]) -> None:
    rows = [
        {
            "batch_id": batch_id,
            "line": r.line,
            "field": r.field,
            "code": r.code,
            "message_zh": r.message_zh,
            "message_en": r.message_en,
            "errors": r.errors,
            "raw": r.raw,
        }
        for r in rejects
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(Reject), rows[start : start + 5000])


def _event_row(unit: Unit, source: str, token_id: str, batch_ids: list[int], now: Any) -> dict[str, Any]:
    rejected = bool(unit.problems)
    kind = KINDS[unit.event.type]
    first = unit.problems[0] if rejected else None
    return {
        "source": source,
        "event_id": unit.event.event_id,
        "type": unit.event.type,
        "body_sha256": unit.sha,
        "status": "rejected" if rejected else "accepted",
        "section_code": unit.section_code,
        "occurred_at": unit.event.occurred_at.replace(tzinfo=None),
        "received_at": now,
        "token_id": token_id,
        "batch_ids": sorted(batch_ids),
        "errors": [
            {"field": p.field, "code": p.code, "zh": p.zh, "en": p.en, "dataset": p.dataset or kind.dataset}
            for p in unit.problems
        ],
        # A rejected event is kept as delivered (the quarantine); an accepted one lives in the lake.
        "body": unit.event.model_dump(mode="json") if rejected else None,
        "message_zh": first.zh if first else "",
        "message_en": first.en if first else "",
    }

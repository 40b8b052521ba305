"""Import of one delivered file, end to end: read → validate → lake → database, all or nothing.

The order of effects is what makes a crash harmless:

1. the Parquet file and the raw copy are written to a private staging folder and flushed;
2. one database transaction records the batch and its rejects; inside it the staging folder is renamed
   to its final place, then the transaction commits.

A crash before the commit leaves at most an uncommitted folder, which no view reads and the next
import removes; the database never names a batch whose files are not all on disk. Writers take the
lake lock, so only one import runs at a time per lake (SQLite allows one writer anyway).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from duckdb import DuckDBPyConnection
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit
from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.schemas import Catalog, Dataset, Reference
from tenderwatch.catalog.service import guess_dataset
from tenderwatch.cli_common import cli_actor
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tenderwatch.ingest import service
from tenderwatch.ingest.models import Batch, Reject
from tenderwatch.ingest.readers import SUPPORTED_SUFFIXES, FileProblem, RawTable, read_file
from tenderwatch.ingest.validate import Validated, validate
from tenderwatch.lake import store, views
from tenderwatch.lake.views import LakeBatch

FAULT_ENV = "TENDERWATCH_FAULT"  # fault injection for the crash tests: after_stage | after_publish


@dataclass(slots=True)
class IngestResult:
    batch_id: int | None
    dataset: str | None
    file_name: str
    status: str  # committed | duplicate | failed
    received: int
    accepted: int
    rejected: int
    message_zh: str
    message_en: str
    duplicate_of: int | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fault(point: str) -> None:
    if os.environ.get(FAULT_ENV) == point:
        os._exit(137)  # as abrupt as a kill -9: no cleanup, no flush


@contextmanager
def lake_lock(lake_dir: Path) -> Iterator[None]:
    lake_dir.mkdir(parents=True, exist_ok=True)
    with (lake_dir / ".lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ingest_file(
    db: Database,
    path: Path,
    *,
    dataset: str | None = None,
    source: str = "cli",
    uploaded_by: str | None = None,
    original_name: str | None = None,
    actor: str | None = None,
) -> IngestResult:
    """Import one file. Raises ``UserError`` only when nothing can be recorded (unknown dataset).

    The batch is an audited change by ``actor`` (default: the uploader, else the operator's OS account),
    recorded in the transaction that records the batch."""
    actor = actor or uploaded_by or cli_actor()
    catalog = get_catalog()
    name = original_name or path.name
    if not path.is_file():
        raise UserError(f"文件不存在：{path}", f"no such file: {path}")
    if dataset is not None and not catalog.has(dataset):
        raise UserError(f"未知的数据集“{dataset}”", f"unknown dataset '{dataset}'")
    sha = _sha256(path)
    size = path.stat().st_size
    lake_dir = db.settings.lake_dir

    with lake_lock(lake_dir):
        try:
            table: RawTable | None = read_file(path, name=name, sheet=dataset)
            problem: FileProblem | None = None
        except FileProblem as exc:
            table, problem = None, exc
        chosen = (
            catalog.dataset(dataset)
            if dataset
            else guess_dataset(catalog, name, table.headers if table else None)
        )
        if chosen is None:
            if problem is not None:
                raise UserError(f"{name}：{problem.message_zh}", f"{name}: {problem.message_en}")
            raise UserError(
                f"{name}：无法判断属于哪个数据集，请按数据集编号命名文件或指定数据集",
                f"{name}: cannot tell which dataset this file is for; name it after the dataset id or choose one",
            )
        earlier, with_lake = _lake_state(db, chosen.id, sha)
        if earlier is not None:
            return _duplicate(name, chosen.id, earlier.id)
        batch = Batch(
            dataset=chosen.id,
            file_name=name,
            file_format=table.file_format if table else "unknown",
            encoding=table.encoding if table else None,
            sha256=sha,
            size_bytes=size,
            source=source,
            uploaded_by=uploaded_by,
            unknown_columns=[],
        )
        if problem is not None or table is None:
            assert problem is not None
            return _record_failure(db, batch, problem, actor)
        result = _validate(db, catalog, with_lake, table, chosen)
        return _commit(db, batch, chosen, result, path, name, actor)


def ingest_table(
    db: Database,
    table: RawTable,
    *,
    dataset: str,
    raw_file: Path,
    name: str,
    source: str = "cli",
    adjust: Callable[[Validated], None] | None = None,
    actor: str | None = None,
) -> IngestResult:
    """Import records already read from some other format (e.g. OCDS) as one atomic batch.

    ``raw_file`` is the delivered file, kept as the batch's raw copy; its checksum makes a repeated
    import of the same file for the same dataset a duplicate, as in ``ingest_file``. ``adjust`` may
    rewrite the rejects (line and field) into the terms of the delivered file before they are stored.
    """
    catalog = get_catalog()
    chosen = catalog.dataset(dataset)
    sha = _sha256(raw_file)
    lake_dir = db.settings.lake_dir
    with lake_lock(lake_dir):
        earlier, with_lake = _lake_state(db, chosen.id, sha)
        if earlier is not None:
            return _duplicate(name, chosen.id, earlier.id)
        batch = Batch(
            dataset=chosen.id,
            file_name=name,
            file_format=table.file_format,
            encoding=table.encoding,
            sha256=sha,
            size_bytes=raw_file.stat().st_size,
            source=source,
            uploaded_by=None,
            unknown_columns=[],
        )
        result = _validate(db, catalog, with_lake, table, chosen)
        if adjust is not None:
            adjust(result)
        return _commit(db, batch, chosen, result, raw_file, name, actor or cli_actor())


def _lake_state(db: Database, dataset: str, sha: str) -> tuple[Batch | None, list[LakeBatch]]:
    """The earlier batch with these bytes (if any) and the committed batches in the lake.

    Called under the lake lock: uncommitted leftovers of a crashed import are removed here, so they
    are never read.
    """
    lake_dir = db.settings.lake_dir
    with db.session() as session:
        earlier = service.get_by_sha(db_session=session, dataset=dataset, sha256=sha)
        with_lake = service.committed_lake_batches(db_session=session, lake_dir=lake_dir)
        # Every folder a batch row names stays, whatever its status: a rolled-back or compacted
        # (push/compaction.py) batch keeps its files, and a reader that started before still finds them.
        named = session.scalars(select(Batch.lake_path).where(Batch.lake_path.is_not(None)))
        store.collect_garbage(lake_dir, {str(p) for p in named})
    return earlier, with_lake


def _duplicate(name: str, dataset: str, earlier_id: int) -> IngestResult:
    return IngestResult(
        None,
        dataset,
        name,
        "duplicate",
        0,
        0,
        0,
        f"{name}：与批次{earlier_id}内容相同，已导入过，本次未新增任何记录",
        f"{name}: identical to batch {earlier_id}, already imported; nothing added",
        duplicate_of=earlier_id,
    )


def _validate(
    db: Database, catalog: Catalog, with_lake: list[LakeBatch], table: RawTable, chosen: Dataset
) -> Validated:
    """Validate against the catalogue, references checked against the lake's committed batches."""
    con = views.connect(catalog, with_lake, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    try:
        return validate(table, chosen, catalog, _key_lookup(con, catalog))
    finally:
        con.close()


def _key_lookup(con: DuckDBPyConnection, catalog: Catalog) -> Callable[[Reference], pl.DataFrame | None]:
    def lookup(ref: Reference) -> pl.DataFrame | None:
        return views.distinct_keys(con, catalog.dataset(ref.dataset), ref.fields)

    return lookup


def _audit(session: Session, actor: str, batch: Batch) -> None:
    details = {
        "op": "import",
        "dataset": batch.dataset,
        "source": batch.source,
        "status": batch.status,
        "sha256": batch.sha256,
        "received": batch.received,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
    }
    audit(session, actor, "change", "batch", str(batch.id), details=details)


def _record_failure(db: Database, batch: Batch, problem: FileProblem, actor: str) -> IngestResult:
    batch.status = "failed"
    batch.error_code, batch.error_zh, batch.error_en = problem.code, problem.message_zh, problem.message_en
    with db.transaction() as session:
        session.add(batch)
        session.flush()
        _audit(session, actor, batch)
    return IngestResult(
        batch.id,
        batch.dataset,
        batch.file_name,
        "failed",
        0,
        0,
        0,
        f"{batch.file_name}：{problem.message_zh}",
        f"{batch.file_name}: {problem.message_en}",
    )


def _commit(
    db: Database, batch: Batch, dataset: Dataset, result: Validated, path: Path, name: str, actor: str
) -> IngestResult:
    accepted = result.accepted.height
    batch.received = accepted + result.rejected
    batch.accepted = accepted
    batch.rejected = result.rejected
    batch.unknown_columns = result.unknown_columns
    staged = store.stage(db.settings.lake_dir, dataset.id, result.accepted, path, name) if accepted else None
    _fault("after_stage")
    try:
        with db.transaction() as session:
            batch.lake_path = staged.relative_path if staged else None
            session.add(batch)
            session.flush()
            if result.rejects:
                rows = [
                    {
                        "batch_id": batch.id,
                        "line": r.line,
                        "field": r.field,
                        "code": r.code,
                        "message_zh": r.message_zh,
                        "message_en": r.message_en,
                        "errors": r.errors,
                        "raw": r.raw,
                    }
                    for r in result.rejects
                ]
                for start in range(0, len(rows), 5000):
                    session.execute(insert(Reject), rows[start : start + 5000])
            _audit(session, actor, batch)
            if staged is not None:
                store.publish(staged)
            _fault("after_publish")
    except BaseException:
        if staged is not None:
            store.discard(staged)
        raise
    zh = f"{name}：收到{batch.received}条，接收{batch.accepted}条，拒收{batch.rejected}条（批次{batch.id}）"
    en = f"{name}: received {batch.received}, accepted {batch.accepted}, rejected {batch.rejected} (batch {batch.id})"
    return IngestResult(
        batch.id, dataset.id, name, "committed", batch.received, batch.accepted, batch.rejected, zh, en
    )


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(files to import, files skipped), the former in catalogue import order.

    A file named on the command line is always attempted. Inside a folder only files whose name
    names a dataset are taken (a delivery folder may hold a README or, from ``synth``, truth.json).
    """
    catalog = get_catalog()
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            named = (
                child.suffix.lower() in SUPPORTED_SUFFIXES and guess_dataset(catalog, child.name) is not None
            )
            (files if named else skipped).append(child)
    order = {d.id: i for i, d in enumerate(catalog.import_order())}

    def rank(p: Path) -> tuple[int, str]:
        guessed = guess_dataset(catalog, p.name)
        return (order[guessed.id] if guessed else len(order), p.name)

    return sorted(files, key=rank), skipped


def ingest_paths(
    db: Database,
    paths: list[Path],
    *,
    dataset: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    results: list[IngestResult] = []
    for path in expand_paths(paths)[0]:
        result = ingest_file(db, path, dataset=dataset)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results

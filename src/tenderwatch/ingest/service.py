"""Plain reads and small writes of batches and rejects (no side effects beyond the database)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenderwatch.audit.personal import personal_fields
from tenderwatch.audit.service import record as audit
from tenderwatch.catalog import get_catalog
from tenderwatch.cli_common import cli_actor
from tenderwatch.db import utcnow
from tenderwatch.ingest.models import Batch, Reject
from tenderwatch.lake.views import LakeBatch


def get_batch(*, db_session: Session, batch_id: int) -> Batch | None:
    return db_session.get(Batch, batch_id)


def get_all_batches(
    *, db_session: Session, dataset: str | None = None, limit: int = 50, offset: int = 0
) -> list[Batch]:
    query = select(Batch).order_by(Batch.id.desc()).limit(limit).offset(offset)
    if dataset is not None:
        query = query.where(Batch.dataset == dataset)
    return list(db_session.scalars(query))


def count_batches(*, db_session: Session, dataset: str | None = None) -> int:
    query = select(func.count(Batch.id))
    if dataset is not None:
        query = query.where(Batch.dataset == dataset)
    return int(db_session.scalar(query) or 0)


def get_rejects(*, db_session: Session, batch_id: int, limit: int = 100, offset: int = 0) -> list[Reject]:
    query = select(Reject).where(Reject.batch_id == batch_id).order_by(Reject.line, Reject.id)
    return list(db_session.scalars(query.limit(limit).offset(offset)))


def count_rejects(*, db_session: Session, batch_id: int) -> int:
    return int(db_session.scalar(select(func.count(Reject.id)).where(Reject.batch_id == batch_id)) or 0)


def reject_summary(*, db_session: Session, batch_id: int) -> list[tuple[str | None, str, int]]:
    """(first failing field, reason code, records) of a batch's quarantine, most frequent first: what a
    reader without access to the raw records may see (no value, no line)."""
    count = func.count(Reject.id)
    query = (
        select(Reject.field, Reject.code, count)
        .where(Reject.batch_id == batch_id)
        .group_by(Reject.field, Reject.code)
        .order_by(count.desc(), Reject.field, Reject.code)
    )
    return [(field, code, int(n)) for field, code, n in db_session.execute(query)]


def get_by_sha(*, db_session: Session, dataset: str, sha256: str) -> Batch | None:
    """An earlier delivery of the same bytes for the same dataset that still counts (not rolled back)."""
    query = select(Batch).where(
        Batch.dataset == dataset, Batch.sha256 == sha256, Batch.status.in_(("committed", "failed"))
    )
    return db_session.scalars(query.order_by(Batch.id).limit(1)).first()


def committed_lake_batches(*, db_session: Session, lake_dir: Path) -> list[LakeBatch]:
    query = select(Batch.id, Batch.dataset, Batch.lake_path).where(
        Batch.status == "committed", Batch.lake_path.is_not(None)
    )
    return [
        LakeBatch(bid, ds, lake_dir / str(path))
        for bid, ds, path in db_session.execute(query.order_by(Batch.id))
    ]


def rollback(*, db_session: Session, batch_id: int, actor: str | None = None) -> Batch | None:
    """Take a committed batch out of the current views; its files stay for the record. Audited as a
    change by ``actor`` (default: the operator's OS account, as the command runs it)."""
    batch = db_session.get(Batch, batch_id)
    if batch is None or batch.status != "committed":
        return batch
    batch.status = "rolled_back"
    batch.rolled_back_at = utcnow()
    audit(
        db_session,
        actor or cli_actor(),
        "change",
        "batch",
        str(batch.id),
        details={"op": "rollback", "dataset": batch.dataset, "from": "committed", "to": "rolled_back"},
    )
    return batch


def record_rejects_view(
    *, db_session: Session, actor: str, batch: Batch, rejects: list[Reject], offset: int = 0
) -> None:
    """One ``view_personal`` for a page of rejected rows: they are the delivered raw rows, which may hold
    ID numbers, names and phones (possibly invalid ones, so every personal column counts). The caller
    commits. A page without rejects shows only the batch's counts and records nothing."""
    if not rejects:
        return
    catalog = get_catalog()
    columns = personal_fields(catalog.dataset(batch.dataset)) if catalog.has(batch.dataset) else frozenset()
    values = list(
        dict.fromkeys(
            str(v) for r in rejects for k, v in (r.raw or {}).items() if k in columns and v not in (None, "")
        )
    )
    audit(
        db_session,
        actor,
        "view_personal",
        "batch",
        str(batch.id),
        details={"rejects": len(rejects), "offset": offset},
        personal={"values": values} if values else None,
    )

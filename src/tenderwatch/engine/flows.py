"""``detect``: run the model library over the lake, store runs and hits, raise warnings."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
from sqlalchemy import insert
from sqlalchemy.orm import Session

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database, utcnow
from tenderwatch.detection import MODELS, get_model
from tenderwatch.engine.base import DetectionModel, Hit
from tenderwatch.engine.config import ModelConfig, load_model_configs
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.engine.lineage import attach_batches
from tenderwatch.engine.models import Hit as HitRow
from tenderwatch.engine.models import ModelRun
from tenderwatch.engine.runner import Backend, ModelOutcome, run_model
from tenderwatch.errors import UserError
from tenderwatch.ingest import service as ingest_service
from tenderwatch.lake.views import LakeBatch, connect
from tenderwatch.lake.warm import WarmLake
from tenderwatch.warning.flows import Place, raise_warnings


@dataclass(slots=True)
class ModelSummary:
    model_id: str
    mode: str
    hits: int
    seconds: float


@dataclass(slots=True)
class DetectSummary:
    engine: str
    models: list[ModelSummary] = field(default_factory=list)
    warnings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def select_models(ids: list[str] | None) -> list[type[DetectionModel]]:
    if not ids:
        return list(MODELS)
    chosen: list[type[DetectionModel]] = []
    for model_id in ids:
        try:
            chosen.append(get_model(model_id))
        except KeyError as exc:
            known = ", ".join(m.ID for m in MODELS)
            raise UserError(
                f"未知模型“{model_id}”，可选：{known}", f"unknown model '{model_id}'; known: {known}"
            ) from exc
    return chosen


def detect(
    db: Database,
    model_ids: list[str] | None = None,
    engine: str = "duckdb",
    region: str | None = None,
    sections: list[str] | None = None,
    on_model: Callable[[ModelSummary], None] | None = None,
    lake: WarmLake | None = None,
) -> DetectSummary:
    """Run models and raise warnings. ``lake``: read a warm lake (brought up to date first) instead of
    opening the Parquet files (the real-time path; DuckDB only)."""
    models = select_models(model_ids)
    if region is not None and not region.isdigit():
        raise UserError(f"区划前缀“{region}”应为数字", f"region prefix '{region}' must be digits")
    configs = load_model_configs(db.settings.model_settings_file)
    catalog = get_catalog()
    pool: list[Backend] = []
    if lake is not None and engine == "duckdb":
        lake.sync(lambda: committed_batches(db))
        # One cursor for this thread and one per worker, all on the same state of the lake: the models'
        # small queries leave a core idle each, so two at a time take about a quarter less in all.
        con, *more = lake.cursors(1 + db.settings.duckdb_threads)
        pool = [DuckBackend(c) for c in more]
    else:
        batches = committed_batches(db)
        con = connect(catalog, batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
        if engine == "duckdb":
            pool = [DuckBackend(con)]
        elif engine == "spark":
            from tenderwatch.engine.spark import SparkBackend, spark_session

            pool = [SparkBackend(spark_session(), catalog, batches)]
        else:
            con.close()
            raise UserError(
                f"未知引擎“{engine}”（duckdb 或 spark）", f"unknown engine '{engine}' (duckdb or spark)"
            )
    summary = DetectSummary(engine=engine)
    started = time.perf_counter()
    try:
        active: list[tuple[Hit, int]] = []
        for model, outcomes, seconds in _run_models(pool, models, configs, region, sections):
            t0 = time.perf_counter()
            attach_batches(con, [h for o in outcomes for h in o.hits])
            with db.transaction() as session:
                for outcome in outcomes:
                    active.extend(_store(session, outcome, engine, region))
            item = ModelSummary(
                model.ID,
                ",".join(sorted({o.mode for o in outcomes})) or "off",
                sum(len(o.hits) for o in outcomes),
                seconds + time.perf_counter() - t0,
            )
            summary.models.append(item)
            if on_model is not None:
                on_model(item)
        places = _places(con, {h.section_code for h, _ in active if h.section_code})
        with db.transaction() as session:
            summary.warnings = raise_warnings(session, active, places)
    finally:
        for backend in pool:
            if isinstance(backend, DuckBackend) and backend.con is not con:
                backend.con.close()
        con.close()
    summary.seconds = time.perf_counter() - started
    return summary


Ran = tuple[type[DetectionModel], list[ModelOutcome], float]


def _run_models(
    pool: list[Backend],
    models: list[type[DetectionModel]],
    configs: dict[str, ModelConfig],
    region: str | None,
    sections: list[str] | None,
) -> Iterator[Ran]:
    """Each model's outcomes and query seconds, in the models' order. With several backends (cursors of
    a warm lake) the queries run on as many threads, each backend used by one thread at a time."""

    def run(model: type[DetectionModel], backend: Backend) -> Ran:
        t0 = time.perf_counter()
        outcomes = run_model(backend, model, configs.get(model.ID, ModelConfig()), region, sections)
        return model, outcomes, time.perf_counter() - t0

    if len(pool) == 1:
        for model in models:
            yield run(model, pool[0])
        return
    free: queue.SimpleQueue[Backend] = queue.SimpleQueue()
    for backend in pool:
        free.put(backend)

    def borrow(model: type[DetectionModel]) -> Ran:
        backend = free.get()
        try:
            return run(model, backend)
        finally:
            free.put(backend)

    with ThreadPoolExecutor(len(pool), thread_name_prefix="detect") as executor:
        for future in [executor.submit(borrow, m) for m in models]:
            yield future.result()


def _places(con: duckdb.DuckDBPyConnection, codes: set[str]) -> dict[str, Place]:
    """Region and industry of the hits' sections (only those: the province has 125,000)."""
    if not codes:
        return {}
    rows = con.execute(
        "SELECT section_code, region_code, industry FROM sections WHERE section_code IN (SELECT unnest(?))",
        [sorted(codes)],
    ).fetchall()
    return {
        str(code): Place(str(region_code), None if industry is None else str(industry))
        for code, region_code, industry in rows
    }


def committed_batches(db: Database) -> list[LakeBatch]:
    """The lake's committed batches, read in a session of their own."""
    with db.session() as session:
        return ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)


def _store(session: Session, outcome: ModelOutcome, engine: str, region: str | None) -> list[tuple[Hit, int]]:
    run = ModelRun(
        model_id=outcome.model.ID,
        model_version=outcome.model.VERSION,
        engine=engine,
        mode=outcome.mode,
        scope_region=region or "",
        params=dict(outcome.params),
        hit_count=len(outcome.hits),
    )
    session.add(run)
    session.flush()
    rows = [
        {
            "run_id": run.id,
            "model_id": hit.model_id,
            "model_version": hit.model_version,
            "mode": outcome.mode,
            "section_code": hit.section_code,
            "subject_type": hit.subject_type,
            "subject_id": hit.subject_id,
            "severity": hit.severity,
            "entities": hit.entities,
            "rules": hit.rules,
            "evidence": hit.evidence_rows(),
        }
        for hit in outcome.hits
    ]
    ids: list[int] = []
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        ids.extend(session.scalars(insert(HitRow).returning(HitRow.id, sort_by_parameter_order=True), chunk))
    run.finished_at = utcnow()
    if outcome.mode != "active":
        return []  # monitor (trial) mode: hits are kept for evaluation, no warning is raised
    return list(zip(outcome.hits, ids, strict=True))

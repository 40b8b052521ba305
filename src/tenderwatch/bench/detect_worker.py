"""One measured detection phase, in its own process so its peak memory is its own.

``python -m tenderwatch.bench.detect_worker MODE DATA_DIR`` with MODE one of ``scan`` (DuckDB reads
every column of every dataset the models use), ``duckdb`` / ``spark`` (a full detection run, hits
stored and warnings raised), ``realtime`` (section models for 200 sections, one at a time), ``warm``
(the same on a warm lake, after loading it), ``opening`` (the opening stage through ``detect`` on a warm
lake, hits stored, as the server runs it). Prints one JSON line.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tenderwatch.catalog import get_catalog
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.detection import MODELS
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.engine.flows import committed_batches, detect
from tenderwatch.engine.runner import run_model
from tenderwatch.lake.views import connect
from tenderwatch.lake.warm import WarmLake
from tenderwatch.push.realtime import stage_models


def _scan(db: Database) -> dict[str, Any]:
    used = sorted({d for m in MODELS for d in m.DATASETS})
    batches = committed_batches(db)
    con = connect(get_catalog(), batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    started = time.perf_counter()
    for dataset in used:
        # max() over every column forces each one to be read and decoded once.
        con.execute(f'SELECT max(COLUMNS(*)) FROM "{dataset}"').fetchall()
    return {"seconds": time.perf_counter() - started, "datasets": used}


def _progress(item: Any) -> None:
    # One line per model on stderr, so a slow model shows while the phase runs.
    print(f"{item.model_id} {item.seconds:.1f}s {item.hits} hits", file=sys.stderr, flush=True)


def _full(db: Database, engine: str) -> dict[str, Any]:
    started = time.perf_counter()
    summary = detect(db, engine=engine, on_model=_progress)
    return {
        "seconds": time.perf_counter() - started,
        "model_seconds": {m.model_id: round(m.seconds, 3) for m in summary.models},
        "hits": sum(m.hits for m in summary.models),
        "warnings": summary.warnings,
    }


def _realtime(db: Database, count: int = 200, warm: bool = False) -> dict[str, Any]:
    """The section models for ``count`` sections, one section at a time, on the cold views or (``warm``)
    on a warm lake, whose loading time is reported too. Queries only: nothing is stored."""
    batches = committed_batches(db)
    extra: dict[str, Any] = {}
    if warm:
        lake = WarmLake(get_catalog(), db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
        extra["load_seconds"] = lake.sync(lambda: batches).seconds
        con = lake.cursor()
    else:
        con = connect(get_catalog(), batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    codes = [
        str(r[0]) for r in con.execute("SELECT section_code FROM sections ORDER BY section_code").fetchall()
    ]
    chosen = random.Random(2026).sample(codes, min(count, len(codes)))
    backend = DuckBackend(con)
    section_models = [m for m in MODELS if m.SUBJECT == "section"]
    timings: list[float] = []
    for code in chosen:
        started = time.perf_counter()
        for model in section_models:
            run_model(backend, model, ModelConfig(), sections=[code])
        timings.append(time.perf_counter() - started)
    return {"sections": len(chosen), "models": len(section_models), **_spread(timings), **extra}


def _opening(db: Database, count: int = 20) -> dict[str, Any]:
    """The server's real-time path for an opening, without HTTP: the opening stage's models through
    ``detect`` on a warm lake, hits stored and warnings raised (into this data folder's database), for
    ``count`` random sections with bids, one at a time."""
    lake = WarmLake(get_catalog(), db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    load_seconds = lake.sync(lambda: committed_batches(db)).seconds
    cursor = lake.cursor()
    codes = [
        str(r[0]) for r in cursor.execute("SELECT DISTINCT section_code FROM bids ORDER BY 1").fetchall()
    ]
    cursor.close()
    chosen = random.Random(2026).sample(codes, min(count, len(codes)))
    models = stage_models("section_opened")
    timings: list[float] = []
    for code in chosen:
        started = time.perf_counter()
        detect(db, model_ids=models, sections=[code], lake=lake)
        timings.append(time.perf_counter() - started)
    lake.close()
    return {"sections": len(chosen), "models": len(models), **_spread(timings), "load_seconds": load_seconds}


def _spread(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "median_seconds": statistics.median(ordered),
        "p95_seconds": ordered[int(0.95 * (len(ordered) - 1))],
        "max_seconds": ordered[-1],
    }


def main(mode: str, data_dir: Path, realtime_sections: int = 200) -> None:
    db = Database(Settings(data_dir=data_dir))
    db.upgrade()
    if mode == "scan":
        result = _scan(db)
    elif mode in ("duckdb", "spark"):
        result = _full(db, mode)
    elif mode == "opening":
        result = _opening(db, realtime_sections)
    else:
        result = _realtime(db, realtime_sections, warm=mode == "warm")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 200)

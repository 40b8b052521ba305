"""One measured import run, in its own process so its peak memory is its own.

Usage: ``python -m tenderwatch.bench.ingest_worker SYNTH_DIR DATA_DIR`` — prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest.flows import ingest_paths


def main(synth_dir: Path, data_dir: Path) -> None:
    db = Database(Settings(data_dir=data_dir))
    db.upgrade()
    started = time.perf_counter()
    per_file: dict[str, dict[str, float]] = {}
    last = started

    def lap(result: object) -> None:
        nonlocal last
        now = time.perf_counter()
        name = getattr(result, "dataset", None) or "?"
        per_file[str(name)] = {
            "seconds": round(now - last, 3),
            "records": float(getattr(result, "received", 0)),
        }
        last = now

    results = ingest_paths(db, [synth_dir], on_result=lap)
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "received": sum(r.received for r in results),
                "accepted": sum(r.accepted for r in results),
                "rejected": sum(r.rejected for r in results),
                "files": len(results),
                "per_dataset": per_file,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

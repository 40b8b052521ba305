"""Synthetic provinces for the benchmarks: generated once per (scale, seed) and imported once."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from tenderwatch.config import Settings, get_settings
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.lake.views import LakeBatch


@dataclass
class BenchProvince:
    synth_dir: Path
    db: Database
    truth: dict[str, Any]

    def batches(self) -> list[LakeBatch]:
        with self.db.session() as session:
            return service.committed_lake_batches(db_session=session, lake_dir=self.db.settings.lake_dir)


def synthesised(console: Console, scale: str, seed: int, root: Path | None = None) -> Path:
    out = (root or get_settings().data_dir / "bench") / f"synth-{scale}-{seed}"
    if (out / "truth.json").is_file():
        return out  # generation is deterministic: same scale and seed, same files
    from tenderwatch.cli_support import run_synth

    shutil.rmtree(out, ignore_errors=True)
    run_synth(console, scale, seed, out)
    return out


def imported(console: Console, scale: str, seed: int) -> BenchProvince:
    """The province imported into its own data folder (kept, so repeated benchmarks skip the import)."""
    synth_dir = synthesised(console, scale, seed)
    data_dir = synth_dir.parent / f"lake-{scale}-{seed}"
    db = Database(Settings(data_dir=data_dir))
    db.upgrade()
    marker = data_dir / "imported"
    if not marker.is_file():
        console.print(f"导入 ingest {scale} seed {seed} …")
        results = ingest_paths(db, [synth_dir])
        if any(r.status == "failed" or r.rejected for r in results):
            console.print("[yellow]some records were rejected[/yellow]")
        marker.write_text("ok", encoding="utf-8")
    truth = json.loads((synth_dir / "truth.json").read_text(encoding="utf-8"))
    return BenchProvince(synth_dir, db, truth)

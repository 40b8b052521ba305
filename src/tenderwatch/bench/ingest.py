"""``tenderwatch bench ingest``: import throughput, peak memory and how time grows with size.

For each scale from tiny up to the one asked for, the synthetic province is generated once (kept
under ``var/bench``) and imported into a fresh lake and SQLite database by a child process; the
child's wall time and peak resident memory (from ``wait4``) are reported. The growth exponent is
the least-squares slope of log(time) over log(records): 1.0 means linear.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tenderwatch.config import get_settings
from tenderwatch.errors import UserError

SCALE_ORDER = ("tiny", "small", "province")


def _synth(console: Console, scale: str, seed: int, root: Path) -> Path:
    out = root / f"synth-{scale}-{seed}"
    if (out / "truth.json").is_file():
        return out  # generation is deterministic: same scale and seed, same files
    from tenderwatch.cli_support import run_synth

    shutil.rmtree(out, ignore_errors=True)
    run_synth(console, scale, seed, out)
    return out


def _measure(synth_dir: Path, data_dir: Path) -> dict[str, float]:
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    cmd = [sys.executable, "-m", "tenderwatch.bench.ingest_worker", str(synth_dir), str(data_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise UserError("基准测试导入失败", f"benchmark import failed: {out[-500:]}")
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    figures["records_per_second"] = figures["received"] / figures["seconds"]
    figures["lake_mb"] = sum(p.stat().st_size for p in (data_dir / "lake").rglob("*") if p.is_file()) / 2**20
    return figures


def growth_exponent(points: list[tuple[float, float]]) -> float | None:
    """Slope of log(seconds) against log(records), by least squares over (records, seconds)."""
    if len(points) < 2:
        return None
    xs = [math.log(r) for r, _ in points]
    ys = [math.log(s) for _, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return (
        sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator if denominator else None
    )


def run_ingest_bench(console: Console, scale: str, seed: int, json_out: Path | None) -> dict[str, object]:
    if scale not in SCALE_ORDER:
        raise UserError(f"未知规模“{scale}”", f"unknown scale '{scale}'; use {', '.join(SCALE_ORDER)}")
    root = get_settings().data_dir / "bench"
    results: dict[str, dict[str, float]] = {}
    for name in SCALE_ORDER[: SCALE_ORDER.index(scale) + 1]:
        synth_dir = _synth(console, name, seed, root)
        console.print(f"导入 ingest {name} …")
        results[name] = _measure(synth_dir, root / f"run-{name}")
    exponent = growth_exponent([(r["received"], r["seconds"]) for r in results.values()])
    table = Table("scale", "records", "seconds", "records/s", "peak RSS MB", "lake MB", "rejected")
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['received']:,.0f}",
            f"{r['seconds']:.1f}",
            f"{r['records_per_second']:,.0f}",
            f"{r['peak_rss_mb']:,.0f}",
            f"{r['lake_mb']:,.0f}",
            f"{r['rejected']:,.0f}",
        )
    console.print(table)
    if exponent is not None:
        console.print(f"time grows as records^{exponent:.2f} (1.00 = linear)")
    report: dict[str, object] = {
        "seed": seed,
        "scales": results,
        "growth_exponent": exponent,
        "cpus": os.cpu_count(),
    }
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report

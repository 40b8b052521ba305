"""``tenderwatch bench detect``: full detection time on DuckDB and on Spark (local), peak memory,
``detect_to_scan_ratio`` (full DuckDB detection ÷ the time DuckDB takes to read every column of every
table the models use once), and the real-time path (section models for one section: median and p95) on
the cold views and on a warm lake.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tenderwatch.bench.province import imported
from tenderwatch.errors import UserError


def _phase(mode: str, data_dir: Path, realtime_sections: int = 200) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "tenderwatch.bench.detect_worker",
        mode,
        str(data_dir),
        str(realtime_sections),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise UserError(f"基准测试阶段{mode}失败", f"benchmark phase {mode} failed: {out[-500:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    return result


def run_detect_bench(
    console: Console,
    scale: str,
    seed: int,
    engines: list[str],
    json_out: Path | None,
    realtime_sections: int = 200,
) -> dict[str, Any]:
    province = imported(console, scale, seed)
    data_dir = province.db.settings.data_dir
    report: dict[str, Any] = {"scale": scale, "seed": seed, "cpus": os.cpu_count()}
    console.print("scan …")
    report["scan"] = _phase("scan", data_dir)
    for engine in engines:
        console.print(f"detect on {engine} …")
        report[engine] = _phase(engine, data_dir)
    console.print("real-time path …")
    report["realtime"] = _phase("realtime", data_dir, realtime_sections) if realtime_sections else {}
    console.print("real-time path on a warm lake …")
    report["warm"] = _phase("warm", data_dir, realtime_sections) if realtime_sections else {}
    if "duckdb" in report:
        report["detect_to_scan_ratio"] = report["duckdb"]["seconds"] / report["scan"]["seconds"]
    table = Table("phase", "seconds", "peak RSS MB", "note")
    table.add_row(
        "scan",
        f"{report['scan']['seconds']:.2f}",
        f"{report['scan']['peak_rss_mb']:,.0f}",
        f"{len(report['scan']['datasets'])} datasets",
    )
    for engine in engines:
        r = report[engine]
        table.add_row(
            f"detect {engine}", f"{r['seconds']:.2f}", f"{r['peak_rss_mb']:,.0f}", f"{r['hits']:,} hits"
        )
    for phase, label in (("realtime", "real-time / section"), ("warm", "real-time / section, warm lake")):
        rt = report[phase]
        if not rt:
            continue
        loaded = f", loaded in {rt['load_seconds']:.1f} s" if "load_seconds" in rt else ""
        table.add_row(
            label,
            f"median {rt['median_seconds']:.3f} · p95 {rt['p95_seconds']:.3f}",
            f"{rt['peak_rss_mb']:,.0f}",
            f"{rt['sections']} sections × {rt['models']} models{loaded}",
        )
    console.print(table)
    if "detect_to_scan_ratio" in report:
        console.print(f"detect_to_scan_ratio = {report['detect_to_scan_ratio']:.2f}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report

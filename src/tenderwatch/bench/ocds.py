"""`tenderwatch bench ocds`: OCDS indicator throughput and peak memory.

For each variant (mixed, bid-heavy) and size, synthetic compiled releases are generated
deterministically into a temporary file, then the real `tenderwatch ocds indicators` runs in a
child process with every indicator enabled. Wall time covers start-up, reading, folding,
finalizing and writing the JSON. Peak memory is the largest sum of proportional set size (PSS,
so pages shared after fork count once) over the child and its workers, sampled from /proc every
0.5 s; the largest single process's RSS (from wait4) is reported too. OCDS Cardinal cannot run
here (no crates.io), so its figures from the issue are printed for comparison.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.errors import UserError

ALL_INDICATORS = "".join(
    f"[{code}]\n"
    for code in ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")
)
CARDINAL = {"mixed": 11_000.0, "bid-heavy": 5_600.0}  # processes/s, OCDS Cardinal 0.0.8 on 2 cores (issue 4)


COLUMNS = (
    ("variant", "variant"),
    ("processes", "processes"),
    ("input_mb", "input MB"),
    ("seconds", "seconds"),
    ("processes_per_second", "processes/s"),
    ("cpu_seconds", "CPU s"),
    ("uncontended_estimate_per_second", "est. /s alone"),
    ("load_average_before", "load"),
    ("peak_pss_mb", "peak MB (PSS, all)"),
    ("max_process_rss_mb", "max RSS MB (1 proc)"),
    ("cardinal_processes_per_second", "Cardinal 0.0.8 /s"),
)


def _children(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found.extend(_children(int(child)))
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _watch(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], sum(_pss_kb(p) for p in _children(pid)))
        stop.wait(0.5)  # reading smaps_rollup costs CPU the measured run would miss


def measure(path: Path, settings: Path, workers: int | None, out: Path) -> dict[str, float]:
    """Run the indicators command on `path` in a child process; wall seconds and peak memory."""
    cmd = [
        sys.executable,
        "-c",
        "from tenderwatch.cli import main; main()",
        "ocds",
        "indicators",
        str(path),
        "-s",
        str(settings),
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    with out.open("wb") as stdout:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
        stop, peak = threading.Event(), [0]
        watcher = threading.Thread(target=_watch, args=(proc.pid, stop, peak), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        stop.set()
        watcher.join()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise UserError("基准测试中指标计算失败", f"indicators failed in the benchmark: {stderr[-500:]}")
    return {
        "seconds": seconds,
        # CPU time of the command and its workers: what the run costs whatever else the machine
        # is doing (this machine is shared; wall time suffers when others run).
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_pss_mb": peak[0] / 1024,
        "max_process_rss_mb": usage.ru_maxrss / 1024,
    }


def _save(json_out: Path, rows: list[dict[str, object]]) -> None:
    info = {"cpus": len(os.sched_getaffinity(0)), "python": sys.version.split()[0]}
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps({"machine": info, "runs": rows}, indent=2) + "\n", encoding="utf-8")


def run_ocds_bench(
    console: Console,
    sizes: list[int],
    variants: list[str],
    workers: int | None,
    seed: int,
    json_out: Path | None,
) -> list[dict[str, object]]:
    from tenderwatch.bench.ocds_synth import generate

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="tw-bench-ocds-") as tmp:
        settings = Path(tmp) / "all.ini"
        settings.write_text(ALL_INDICATORS, encoding="utf-8")
        for variant in variants:
            for size in sizes:
                data = Path(tmp) / f"{variant}-{size}.jsonl"
                console.print(f"生成 generating {variant} × {size:,} …", highlight=False)
                size_bytes = generate(data, size, heavy=variant == "bid-heavy", seed=seed)
                console.print(f"计算 running indicators on {size_bytes / 2**20:,.0f} MB …", highlight=False)
                load = os.getloadavg()[0]
                figures = measure(data, settings, workers, Path(tmp) / "out.json")
                cpus = workers or len(os.sched_getaffinity(0))
                data.unlink()
                rows.append(
                    {
                        "variant": variant,
                        "processes": size,
                        "input_mb": round(size_bytes / 2**20, 1),
                        "seconds": round(figures["seconds"], 2),
                        "processes_per_second": round(size / figures["seconds"]),
                        "cpu_seconds": round(figures["cpu_seconds"], 1),
                        # Had the run had the cores to itself: CPUs ÷ CPU time per process.
                        "uncontended_estimate_per_second": round(cpus * size / figures["cpu_seconds"]),
                        "load_average_before": round(load, 2),
                        "peak_pss_mb": round(figures["peak_pss_mb"], 1),
                        "max_process_rss_mb": round(figures["max_process_rss_mb"], 1),
                        "cardinal_processes_per_second": CARDINAL[variant],
                    }
                )
                if json_out is not None:  # after every run, so a long run keeps what it measured
                    _save(json_out, rows)
    table = Table(*(header for _, header in COLUMNS))
    for row in rows:
        table.add_row(
            *(f"{row[key]:,}" if isinstance(row[key], int | float) else str(row[key]) for key, _ in COLUMNS)
        )
    console.print(table)
    return rows


def ocds_command(
    processes: Annotated[
        str, typer.Option("--processes", help="逗号分隔的规模 / comma-separated sizes")
    ] = "100000,1000000",
    variants: Annotated[str, typer.Option("--variants", help="mixed,bid-heavy")] = "mixed,bid-heavy",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="工作进程数 / worker processes")
    ] = None,
    seed: int = 1,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="将结果写为 JSON / write the figures as JSON")
    ] = None,
) -> None:
    """OCDS 指标速度 / OCDS indicators: processes per second and peak memory on synthetic data."""
    try:
        sizes = [int(part) for part in processes.split(",") if part.strip()]
    except ValueError:
        raise UserError(f"规模无效：{processes}", f"invalid sizes: {processes}") from None
    names = [v.strip() for v in variants.split(",") if v.strip()]
    unknown = [v for v in names if v not in CARDINAL]
    if unknown or not sizes or min(sizes) < 1:
        raise UserError(
            "变体应为 mixed 或 bid-heavy，规模应为正整数",
            "variants must be mixed or bid-heavy and sizes positive integers",
        )
    run_ocds_bench(Console(width=200), sizes, names, workers, seed, json_out)


def register(app: typer.Typer) -> None:
    """Add the OCDS benchmark to the `bench` command group."""
    app.command("ocds")(ocds_command)

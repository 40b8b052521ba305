"""``tenderwatch replay`` and ``tenderwatch bench push``: a synthetic province pushed through the API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.config import Settings, get_settings
from tenderwatch.errors import UserError
from tenderwatch.synth import SCALES

console = Console()


def _province(scale: str, seed: int) -> Path:
    if scale not in SCALES:
        raise UserError(f"未知规模“{scale}”", f"unknown scale '{scale}' (tiny | small | province)")
    from tenderwatch.bench.province import synthesised

    return synthesised(console, scale, seed)


def run_replay(
    *,
    scale: str,
    seed: int,
    days: float,
    clients: int,
    speed: float = 0.0,
    rate: float = 0.0,
    url: str | None = None,
    token: str | None = None,
    work_dir: Path | None = None,
    synth_dir: Path | None = None,
) -> dict[str, Any]:
    """Build the timeline, load the history, push the window; returns the figures (also printed)."""
    from tenderwatch.push.replay import LoopbackServer, busiest_hour, prepare, push_all
    from tenderwatch.push.timeline import build

    if clients < 1:
        raise UserError("客户端数至少为1", "--clients must be at least 1")
    synth_dir = synth_dir or _province(scale, seed)
    work = work_dir or get_settings().data_dir / "replay" / f"{scale}-{seed}-{days:g}d"
    shutil.rmtree(work, ignore_errors=True)
    timeline = build(synth_dir, work / "history", days)
    hour, in_hour, openings = busiest_hour(timeline.events)
    report: dict[str, Any] = {
        "scale": scale,
        "seed": seed,
        "window_days": days,
        "live_sections": timeline.live_sections,
        "events": len(timeline.events),
        "clients": clients,
        "speed": speed,
        "rate_per_s": rate,
        "window_busiest_hour": {"hour": hour, "events": in_hour, "openings": openings},
        "province_busiest_hour_estimate": province_estimate(synth_dir, scale),
    }
    console.print(
        f"窗口 window: {timeline.live_sections} sections, {len(timeline.events)} events from {timeline.cutoff}; "
        f"busiest hour {hour}: {in_hour} events, {openings} openings"
    )
    server = None
    if url is None:
        console.print("导入历史 loading the history …")
        token = prepare(Settings(data_dir=work / "var"), timeline)
        server = LoopbackServer(work / "var")
        url = server.url
    elif token is None:
        raise UserError("指定 --url 时须同时给出 --token", "--url needs --token (a platform API token)")
    try:
        console.print(f"推送 pushing to {url} with {clients} client(s) …")
        report |= push_all(url, token, timeline.events, clients=clients, speed=speed, rate=rate)
    finally:
        if server is not None:
            server.stop()
    _print(report)
    return report


def province_estimate(synth_dir: Path, scale: str) -> dict[str, Any]:
    """The province's busiest hour: this scale's busiest clock hour over its whole period (events, and
    openings separately: they cluster at 09:00), scaled by the number of sections."""
    import tempfile

    from tenderwatch.push.replay import busiest_hour
    from tenderwatch.push.timeline import build

    with tempfile.TemporaryDirectory(prefix="tenderwatch-estimate-") as scratch:
        events = build(synth_dir, Path(scratch), 100_000.0).events
    _, in_hour, _ = busiest_hour(events)
    openings = busiest_hour([e for e in events if e["type"] == "section_opened"])[1]
    factor = SCALES["province"].sections / SCALES[scale].sections
    return {
        "scale_events": len(events),
        "scale_busiest_hour_events": in_hour,
        "scale_busiest_hour_openings": openings,
        "factor": round(factor, 2),
        "events": round(in_hour * factor),
        "openings": round(openings * factor),
        "events_per_s": round(in_hour * factor / 3600, 2),
    }


def _print(report: dict[str, Any]) -> None:
    table = Table("figure", "value")
    for key in (
        "requests",
        "received",
        "accepted",
        "rejected",
        "duplicates",
        "warnings",
        "seconds",
        "events_per_second",
        "openings",
        "opening_median_s",
        "opening_p95_s",
        "opening_detect_median_s",
        "opening_detect_p95_s",
        "other_median_s",
        "other_p95_s",
    ):
        table.add_row(key, str(report.get(key)))
    console.print(table)
    estimate = report["province_busiest_hour_estimate"]
    console.print(
        f"全省最忙一小时估计 province busiest hour ≈ {estimate['events']:,} events "
        f"({estimate['events_per_s']}/s), {estimate['openings']:,} openings"
    )
    if report.get("reasons"):
        console.print(f"拒收原因 reject reasons: {report['reasons']}")


def replay(
    scale: Annotated[str, typer.Option(help="tiny | small | province")] = "small",
    speed: Annotated[
        float, typer.Option(help="time compression: N synthetic seconds per second; 0 = at once")
    ] = 0.0,
    clients: Annotated[int, typer.Option(help="concurrent pushing clients")] = 2,
    days: Annotated[
        float, typer.Option(help="the live window: sections announced in the last N days")
    ] = 14.0,
    seed: int = 1,
    url: Annotated[
        str | None, typer.Option(help="push to this server instead of one started on loopback")
    ] = None,
    token: Annotated[str | None, typer.Option(help="platform API token (with --url)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
) -> None:
    """回放：按时间顺序推送模拟省份的事件 / Push a synthetic province's events through the API in time order."""
    report = run_replay(scale=scale, seed=seed, days=days, clients=clients, speed=speed, url=url, token=token)
    _write(report, json_out)


def register(bench_app: typer.Typer) -> None:
    @bench_app.command("push")
    def bench_push(
        scale: Annotated[str, typer.Option(help="tiny | small")] = "small",
        clients: Annotated[int, typer.Option(help="concurrent pushing clients")] = 4,
        days: Annotated[float, typer.Option(help="the live window pushed after the history")] = 7.0,
        rate: Annotated[
            float | None, typer.Option(help="events per second; default: the province's busiest hour")
        ] = None,
        seed: int = 1,
        json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
    ) -> None:
        """实时推送延迟 / Section-opened → warnings latency (median, p95) under concurrent pushing clients."""
        chosen = rate
        if chosen is None:
            chosen = float(province_estimate(_province(scale, seed), scale)["events_per_s"])
            console.print(
                f"全省最忙一小时 province busiest hour ≈ {chosen * 3600:,.0f} events → {chosen:.2f}/s"
            )
        report = run_replay(scale=scale, seed=seed, days=days, clients=clients, rate=chosen)
        _write(report, json_out)


def _write(report: dict[str, Any], json_out: Path | None) -> None:
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")

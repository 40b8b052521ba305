"""`tenderwatch bench pages`: response times of the web pages over a synthetic province.

The province of the chosen scale is generated and imported once (``bench.province``), optionally run
through detection so the pages have warnings to show, then served by the real application in
process: every request goes through the whole stack (session, access check, lake and database reads,
template) with a signed-in province-wide inspector, as a browser's request would. The first request of
each page is reported apart (``cold``: it pays for imports, the first lake connection and, for the
graph, building the correlation graph once per lake state); p50 and p95 are over the requests after it.

Adding a page: write a function that returns the paths to request (it gets the lake connection, the
number of requests and the seed) and add a ``PageProbe`` to ``PAGES``. The situation screen, for
example, is ``PageProbe("situation", "综合态势", lambda _con, n, _seed: ["/situation"] * n)``.
"""

from __future__ import annotations

import json
import math
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.bench import situation
from tenderwatch.errors import UserError

Paths = Callable[[duckdb.DuckDBPyConnection, int, int], list[str]]


def sample_sections(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> list[str]:
    """``n`` sections with bids, a deterministic sample for a seed (same lake, same sections)."""
    rows = con.execute(
        "SELECT section_code FROM (SELECT DISTINCT section_code FROM bids) "
        "ORDER BY hash(section_code || CAST(? AS VARCHAR)), section_code LIMIT ?",
        [seed, n],
    ).fetchall()
    return [str(code) for (code,) in rows]


@dataclass(frozen=True, slots=True)
class PageProbe:
    name: str
    title: str
    paths: Paths


PAGES: dict[str, PageProbe] = {
    probe.name: probe
    for probe in (
        PageProbe(
            "section",
            "标段分析 section view",
            lambda con, n, seed: [f"/sections/{c}" for c in sample_sections(con, n, seed)],
        ),
        PageProbe(
            "section-graph",
            "标段投标人关联图 section bidder graph (API)",
            lambda con, n, seed: [f"/api/v1/sections/{c}/graph" for c in sample_sections(con, n, seed)],
        ),
        PageProbe("situation", "综合态势 overall situation", situation.situation_paths),
        PageProbe("situation-api", "综合态势 overall situation (API)", situation.api_paths),
        PageProbe("situation-list", "综合态势 drill-down lists", situation.list_paths),
    )
}


@dataclass(frozen=True, slots=True)
class PageTiming:
    page: str
    scale: str
    requests: int
    cold_ms: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    failures: int
    peak_rss_mb: float  # the bench process's peak so far (the app runs in it): the graph build shows here


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def time_pages(
    console: Console, scale: str, seed: int, pages: list[str], requests: int, detect: bool
) -> list[PageTiming]:
    # Imported here: the CLI lists commands without loading the web stack.
    from fastapi.testclient import TestClient

    from tenderwatch.auth.flows import DEMO_PASSWORD, demo_username, ensure_demo_accounts
    from tenderwatch.bench.province import imported
    from tenderwatch.graph.flows import open_lake
    from tenderwatch.web.app import create_app

    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise UserError(
            f"未知页面：{', '.join(unknown)}；可选：{', '.join(PAGES)}",
            f"unknown page(s) {', '.join(unknown)}; choose from {', '.join(PAGES)}",
        )
    province = imported(console, scale, seed)
    db = province.db
    marker = db.settings.data_dir / "detected"
    if detect and not marker.is_file():
        from tenderwatch.engine.flows import detect as run_detection

        console.print(f"检测 detect {scale} …")
        run_detection(db)
        marker.write_text("ok", encoding="utf-8")
    with db.transaction() as session:
        ensure_demo_accounts(db_session=session)
    con = open_lake(db)
    try:
        plan = {name: PAGES[name].paths(con, requests + 1, seed) for name in pages}
    finally:
        con.close()
    client = TestClient(create_app(db.settings), raise_server_exceptions=False)
    login = client.get("/login")
    token = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed = client.post(
        "/login",
        data={"username": demo_username("inspector"), "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    if signed.status_code != 303:
        raise UserError("基准账号登录失败", "the benchmark account could not sign in")
    results: list[PageTiming] = []
    for name, paths in plan.items():
        times: list[float] = []
        failures = 0
        for path in paths:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            failures += response.status_code != 200
        warm = times[1:] or times
        results.append(
            PageTiming(
                page=name,
                scale=scale,
                requests=len(warm),
                cold_ms=round(times[0], 1) if times else 0.0,
                p50_ms=round(statistics.median(warm), 1) if warm else 0.0,
                p95_ms=round(percentile(warm, 0.95), 1) if warm else 0.0,
                max_ms=round(max(warm), 1) if warm else 0.0,
                failures=failures,
                peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            )
        )
    return results


def run_pages_bench(
    console: Console,
    scale: str,
    seed: int,
    pages: list[str],
    requests: int,
    detect: bool,
    json_out: Path | None,
) -> list[PageTiming]:
    results = time_pages(console, scale, seed, pages, requests, detect)
    table = Table(
        "page", "scale", "requests", "cold ms", "p50 ms", "p95 ms", "max ms", "failures", "peak RSS MB"
    )
    for r in results:
        table.add_row(
            r.page,
            r.scale,
            str(r.requests),
            f"{r.cold_ms:,.1f}",
            f"{r.p50_ms:,.1f}",
            f"{r.p95_ms:,.1f}",
            f"{r.max_ms:,.1f}",
            str(r.failures),
            f"{r.peak_rss_mb:,.0f}",
        )
    console.print(table)
    if json_out is not None:
        payload = {"seed": seed, "detected": detect, "pages": [asdict(r) for r in results]}
        json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results


def register(app: typer.Typer) -> None:
    """Add the page benchmark to the `bench` command group."""

    @app.command("pages")
    def bench_pages(
        scale: Annotated[str, typer.Option(help="tiny | small | province")] = "small",
        seed: int = 1,
        pages: Annotated[str, typer.Option(help=f"comma-separated: {', '.join(PAGES)}")] = ",".join(PAGES),
        requests: Annotated[int, typer.Option(help="timed requests per page after the first", min=1)] = 50,
        detect: Annotated[
            bool, typer.Option(help="先运行检测以便页面有预警 / run detection first so pages show warnings")
        ] = False,
        json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
    ) -> None:
        """页面响应时间 / Page response times (p50, p95) over a synthetic province."""
        names = [p.strip() for p in pages.split(",") if p.strip()]
        run_pages_bench(Console(width=140), scale, seed, names, requests, detect, json_out)

"""The ``tenderwatch`` command.

Every command exits non-zero with a one-line reason on bad input and never shows a traceback: a
``UserError`` prints its message; anything else is an internal fault, logged in full under
``<data_dir>/logs/errors.log`` with only a reference printed.
"""

from __future__ import annotations

import logging
import sys
import traceback
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.cli_common import cli_actor, open_database
from tenderwatch.config import get_settings
from tenderwatch.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="招投标智慧监管监督系统 tenderwatch")
console = Console()
err_console = Console(stderr=True)


@app.command()
def synth(
    scale: Annotated[str, typer.Option(help="tiny | small | province")] = "tiny",
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives the same files")] = 1,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("var/synth"),
) -> None:
    """生成模拟省份数据 / Generate a synthetic province (import files + truth.json)."""
    from tenderwatch.cli_support import run_synth

    run_synth(console, scale, seed, out)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to import")],
    dataset: Annotated[str | None, typer.Option(help="dataset id, when the file name does not tell")] = None,
) -> None:
    """导入数据文件 / Import data files (CSV, XLSX, JSON Lines)."""
    from tenderwatch.cli_support import run_ingest

    failed = run_ingest(console, open_database(), paths, dataset)
    if failed:
        raise typer.Exit(1)


@app.command()
def batches(dataset: Annotated[str | None, typer.Option()] = None, limit: int = 50) -> None:
    """列出导入批次 / List import batches."""
    from tenderwatch.cli_support import print_batches

    print_batches(console, open_database(), dataset, limit)


@app.command()
def rejects(
    batch_id: int, limit: int = 100, lang: Annotated[str, typer.Option(help="zh | en")] = "zh"
) -> None:
    """查看批次的拒收记录 / Show a batch's rejected records."""
    from tenderwatch.cli_support import print_rejects
    from tenderwatch.ingest import service

    database = open_database()
    print_rejects(console, database, batch_id, limit, lang)
    # The reasons quote the refused values (an invalid ID number is still somebody's): a view to record.
    with database.transaction() as session:
        batch = service.get_batch(db_session=session, batch_id=batch_id)
        if batch is not None:
            shown = service.get_rejects(db_session=session, batch_id=batch_id, limit=limit)
            service.record_rejects_view(db_session=session, actor=cli_actor(), batch=batch, rejects=shown)


@app.command()
def rollback(batch_id: int) -> None:
    """回退一个批次（文件保留，不再计入当前视图）/ Roll a batch back out of the current views."""
    from tenderwatch.ingest import service

    database = open_database()
    with database.transaction() as session:
        batch = service.rollback(db_session=session, batch_id=batch_id)
        if batch is None:
            raise UserError(f"批次{batch_id}不存在", f"no batch {batch_id}")
        status = batch.status
    console.print(f"批次{batch_id}：{status} / batch {batch_id}: {status}")


@app.command()
def lake() -> None:
    """数据湖当前视图记录数 / Records in each dataset's current view."""
    from tenderwatch.cli_support import print_lake

    print_lake(console, open_database())


@app.command()
def detect(
    models: Annotated[
        str | None, typer.Option(help="comma-separated model ids, e.g. C01,C04 (default: all)")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb | spark")] = "duckdb",
    region: Annotated[str | None, typer.Option(help="region-code prefix, e.g. 3301")] = None,
) -> None:
    """运行检测模型并生成预警 / Run the detection models and raise warnings."""
    from tenderwatch.cli_support import run_detect

    run_detect(
        console, open_database(), [m.strip() for m in models.split(",")] if models else None, engine, region
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """启动网页服务 / Serve the web UI and API."""
    from tenderwatch.web.server import serve as run_server

    settings = get_settings()
    open_database()
    run_server(settings, host or settings.host, port or settings.port)


@app.command()
def demo(
    scale: Annotated[str, typer.Option(help="tiny | small")] = "small",
    seed: int = 1,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="stop after the summary")] = False,
) -> None:
    """演示：生成 → 导入 → 汇总 → 网页 / Demo: synthesise, import, summarise, serve."""
    from tenderwatch.cli_support import run_demo

    run_demo(console, scale, seed, serve=not no_serve)


db_app = typer.Typer(help="应用数据库 / Application database", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """升级数据库结构到最新 / Migrate the application database to the latest schema."""
    database = open_database()
    console.print(
        f"数据库已是最新 / database at head: {database.engine.url.render_as_string(hide_password=True)}"
    )


catalog_app = typer.Typer(help="数据共享清单 / Dataset catalogue", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("list")
def catalog_list() -> None:
    """列出数据集 / List the datasets."""
    from tenderwatch.catalog import get_catalog

    table = Table("id", "数据集", "Dataset", "来源单位", "fields")
    catalog = get_catalog()
    for d in catalog.datasets:
        table.add_row(d.id, d.zh, d.en, catalog.source_units[d.source_unit].zh, str(len(d.fields)))
    console.print(table)


bench_app = typer.Typer(help="基准测试 / Benchmarks that print figures", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("ingest")
def bench_ingest(
    scale: Annotated[str, typer.Option(help="largest scale to run: tiny | small | province")] = "small",
    seed: int = 1,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
) -> None:
    """导入速度与内存 / Import throughput and peak memory, tiny → the given scale, with the growth exponent."""
    from tenderwatch.bench.ingest import run_ingest_bench

    run_ingest_bench(console, scale, seed, json_out)


@bench_app.command("detection")
def bench_detection(
    scale: Annotated[str, typer.Option(help="tiny | small | province")] = "small",
    seed: int = 1,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
) -> None:
    """检测质量 / Each model's precision and recall against the planted truth."""
    from tenderwatch.bench.detection import run_detection_bench

    run_detection_bench(console, scale, seed, json_out)


@bench_app.command("detect")
def bench_detect(
    scale: Annotated[str, typer.Option(help="tiny | small | province")] = "small",
    seed: int = 1,
    engines: Annotated[str, typer.Option(help="comma-separated: duckdb,spark")] = "duckdb,spark",
    realtime_sections: Annotated[
        int, typer.Option(help="sections timed on the real-time path (0 = skip)")
    ] = 200,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
) -> None:
    """检测速度 / Full detection time on DuckDB and Spark, peak memory, scan ratio, real-time latency."""
    from tenderwatch.bench.detect import run_detect_bench

    engine_list = [e.strip() for e in engines.split(",") if e.strip()]
    run_detect_bench(console, scale, seed, engine_list, json_out, realtime_sections)


def _register_groups() -> None:
    # Each domain owns its command group; importing them here keeps cli.py a table of contents.
    from tenderwatch.audit.cli import audit_app
    from tenderwatch.auth.cli import tokens_app
    from tenderwatch.auth.users_cli import users_app
    from tenderwatch.bench import ocds as bench_ocds
    from tenderwatch.bench import pages as bench_pages
    from tenderwatch.bench import screens as bench_screens
    from tenderwatch.broker.cli import broker_app
    from tenderwatch.case.cli import cases_app
    from tenderwatch.jobs.cli import jobs_app
    from tenderwatch.ocds.cli import ocds_app
    from tenderwatch.push import cli as push_cli
    from tenderwatch.screens.cli import screens_app

    app.add_typer(screens_app, name="screens")
    app.add_typer(ocds_app, name="ocds")
    app.add_typer(audit_app, name="audit")
    app.add_typer(broker_app, name="broker")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(users_app, name="users")
    app.add_typer(cases_app, name="cases")
    app.add_typer(jobs_app, name="jobs")
    bench_screens.register(bench_app)
    bench_ocds.register(bench_app)
    bench_pages.register(bench_app)
    app.command("replay")(push_cli.replay)
    push_cli.register(bench_app)


_register_groups()


def _settings_problem() -> str | None:
    """A readable account of invalid TENDERWATCH_* settings, or None when they load."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as exc:
        lines = [
            f"  TENDERWATCH_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        return "配置无效 / invalid settings:\n" + "\n".join(lines)
    return None


def main() -> None:
    # Settings are read by nearly every command and by the error handler below, so a bad environment
    # variable is reported here, once, instead of as a traceback from wherever it was first read.
    problem = _settings_problem()
    if problem is not None:
        err_console.print(problem, highlight=False, markup=False)
        sys.exit(2)
    try:
        # standalone_mode=False hands back typer.Exit codes as the return value instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except UserError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}", highlight=False)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("已中止 / aborted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        reference = uuid.uuid4().hex[:8]
        log_dir = get_settings().log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=log_dir / "errors.log", level=logging.ERROR)
        logging.getLogger("tenderwatch").error("ref %s\n%s", reference, traceback.format_exc())
        err_console.print(
            f"[red]内部错误 / internal error[/red] ({type(exc).__name__}), ref {reference}: "
            f"详见 / see {log_dir / 'errors.log'}",
            highlight=False,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()

"""``tenderwatch jobs …``: the scheduled jobs, when they run next and how they last ended; run one now."""

from __future__ import annotations

import logging

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tenderwatch.cli_common import cli_actor, open_database

jobs_app = typer.Typer(help="定时任务 / Scheduled jobs", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)

STATUS_ZH = {"running": "运行中", "ok": "成功", "failed": "失败", "skipped": "跳过"}


def _status(status: str) -> str:
    return f"{STATUS_ZH.get(status, status)} {status}"


def _log_to_file() -> str:
    """A job's traceback goes to ``<data_dir>/logs/jobs.log``; the command prints only its error line."""
    from tenderwatch.config import get_settings

    log_dir = get_settings().log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_dir / "jobs.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("tenderwatch")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return str(log_dir / "jobs.log")


@jobs_app.command("list")
def list_() -> None:
    """任务、计划、下次与上次运行 / Each job: schedule, next run, last run and how it ended."""
    from tenderwatch.jobs.service import local_time, statuses

    database = open_database()
    settings = database.settings
    table = Table("任务 job", "计划 schedule", "下次 next run", "上次 last run", "状态 status", "结果 result")
    with database.session() as session:
        for item in statuses(db_session=session, settings=settings):
            last = item.last
            started = local_time(settings, last.started_at) if last else None
            table.add_row(
                item.job.name,
                item.schedule,
                item.next_run.strftime("%Y-%m-%d %H:%M") if item.next_run else "off",
                started.strftime("%Y-%m-%d %H:%M:%S") if started else "—",
                _status(last.status) if last else "—",
                # Text(): a "[...]" in a summary is data, not rich markup.
                Text((last.error or last.summary) if last else ""),
            )
    database.dispose()
    console.print(table)
    console.print(
        f"时区 / time zone: {settings.jobs_timezone}; 服务内运行 / run by serve: {settings.jobs_enabled}"
    )


@jobs_app.command("run")
def run(name: str) -> None:
    """立即运行一个任务（同样加锁并记录）/ Run a job now, locked and recorded like a scheduled run."""
    from tenderwatch.jobs.definitions import get_job
    from tenderwatch.jobs.flows import run as run_now

    job = get_job(name)  # an unknown name is refused before anything is opened
    log_file = _log_to_file()
    database = open_database()
    result = run_now(database, job, cli_actor())
    database.dispose()
    console.print(f"{job.name}: {_status(result.status)}")
    # Summaries and errors are data, not rich markup: a "[...]" in them must print as it is.
    if result.summary:
        console.print(result.summary, markup=False)
    if result.status == "failed":
        console.print(result.error or "", style="red", markup=False)
        console.print(f"详见 / see {log_file}", markup=False)
        raise typer.Exit(1)

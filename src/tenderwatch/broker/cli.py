"""`tenderwatch broker …`: collect C18 candidates into the register, screen the lake against it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.cli_common import cli_actor, open_database
from tenderwatch.errors import UserError

broker_app = typer.Typer(help="黄牛库 / Broker register", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@broker_app.command("collect")
def collect() -> None:
    """把 C18 命中转为候选条目（可重复运行） / Turn C18 hits into candidate entries (idempotent)."""
    from tenderwatch.broker.flows import collect_candidates
    from tenderwatch.graph.flows import open_lake

    db = open_database()
    con = open_lake(db)
    try:
        with db.transaction() as session:
            summary = collect_candidates(session, con=con, actor=cli_actor())
    finally:
        con.close()
    console.print(
        f"新增 created {summary.created} · 更新 updated {summary.updated} · 未变 unchanged {summary.unchanged}"
    )


@broker_app.command("screen")
def screen(
    since: Annotated[str, typer.Option(help="开标日期起 / sections opened on or after (YYYY-MM-DD)")],
    limit: Annotated[int, typer.Option(min=1, help="最多显示 / rows to show")] = 50,
) -> None:
    """用黄牛库筛查湖中投标 / Screen the lake's bids against the register."""
    from tenderwatch.broker.lake_screen import screen_database_lake
    from tenderwatch.broker.service import load_register, record_lake_screen

    try:
        day = datetime.strptime(since, "%Y-%m-%d").date()
    except ValueError as exc:
        raise UserError(f"日期格式应为 YYYY-MM-DD：{since}", f"date must be YYYY-MM-DD: {since}") from exc
    db = open_database()
    with db.session() as session:
        register = load_register(session)
    matches = screen_database_lake(db, register, day)
    with db.transaction() as session:
        record_lake_screen(session, cli_actor(), day.isoformat(), matches, min(len(matches), limit))
    table = Table("section", "bidder", "dataset.field", "value", "entry", "rule", "strong")
    for m in matches[:limit]:
        table.add_row(
            m.section_code,
            m.bidder_uscc,
            f"{m.dataset}.{m.field}",
            m.value,
            f"{m.entry_id} {m.entry_name}",
            m.rule,
            "✔" if m.strong else "",
        )
    console.print(table)
    console.print(f"命中 matches: {len(matches)}（强 strong {sum(m.strong for m in matches)}）")

"""``tenderwatch cases …``: seed departments, open cases for new warnings, the deadline tick, delivery."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from tenderwatch.case import deadlines, flows, notify
from tenderwatch.case.routing import seed_departments
from tenderwatch.cli_common import cli_actor, open_database
from tenderwatch.errors import UserError

cases_app = typer.Typer(help="核查处置 / verification cases", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)

Today = Annotated[str | None, typer.Option(help="按该日期计算 YYYY-MM-DD（默认今天） / as of this date")]


def _today(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        raise UserError(f"日期格式应为YYYY-MM-DD：{value}", f"Date must be YYYY-MM-DD: {value}") from None


@cases_app.command("seed")
def seed() -> None:
    """Create the responsible departments (province, cities, counties × industries)."""
    database = open_database()
    with database.transaction() as session:
        added = seed_departments(db_session=session, actor=cli_actor())
    console.print(f"新增责任单位 {added} 个 / {added} departments added")


@cases_app.command("open")
def open_(today: Today = None) -> None:
    """Route every warning without a case to its department (分办)."""
    database = open_database()
    with database.transaction() as session:
        seed_departments(db_session=session)
        opened = flows.open_all(db_session=session, settings=database.settings, today=_today(today))
    sent = notify.deliver_pending(database)
    console.print(
        f"分办 {len(opened)} 件 / {len(opened)} cases opened; notices sent: {sent.emailed + sent.pushed}"
    )


@cases_app.command("tick")
def tick(today: Today = None) -> None:
    """Mark overdue cases, escalate them one level up (督办) and send the notices."""
    database = open_database()
    with database.transaction() as session:
        result = deadlines.tick(db_session=session, today=_today(today))
    sent = notify.deliver_pending(database)
    console.print(
        f"超期 {len(result.overdue)} 件，督办 {len(result.supervised)} 件 / "
        f"{len(result.overdue)} overdue, {len(result.supervised)} supervised; "
        f"e-mails {sent.emailed}, webhooks {sent.pushed}, failed {sent.failed}"
    )

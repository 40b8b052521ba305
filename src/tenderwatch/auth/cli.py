"""`tenderwatch tokens …`: issue, list and revoke API tokens of machine users."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from tenderwatch.auth import tokens
from tenderwatch.cli_common import cli_actor, open_database

tokens_app = typer.Typer(help="接口令牌 / API tokens for machine users", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


@tokens_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="令牌所属用户 / the user the token acts for")],
    name: Annotated[str, typer.Option(help="用途，如“杭州交易平台” / what the token is for")],
) -> None:
    """签发令牌（只显示一次） / Issue a token; it is shown once only."""
    database = open_database()
    try:
        with database.transaction() as session:
            row, clear = tokens.create_token(
                db_session=session, username=username, name=name, actor=cli_actor()
            )
            token_id = tokens.display_id(row)
    finally:
        database.dispose()
    console.print(f"令牌 {token_id} 已签发，请立即保存（不会再次显示） / token issued; store it now:")
    console.print(clear)


@tokens_app.command("list")
def list_() -> None:
    """列出令牌 / List tokens (never their secrets)."""
    database = open_database()
    try:
        with database.session() as session:
            rows = tokens.list_tokens(db_session=session)
            # One line per token, tab-separated: readable, and greppable by scripts (a table would wrap ids).
            lines = [
                "\t".join(
                    (
                        tokens.display_id(row),
                        row.user.username,
                        row.name,
                        f"created {row.created_at:%Y-%m-%d %H:%M}",
                        f"last used {row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used",
                        f"REVOKED {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active",
                    )
                )
                for row in rows
            ]
    finally:
        database.dispose()
    for line in lines or ["（无令牌） / no tokens"]:
        console.print(line, markup=False)


@tokens_app.command("revoke")
def revoke(token_id: Annotated[str, typer.Argument(help="令牌编号 tw_… / token id")]) -> None:
    """吊销令牌 / Revoke a token for good."""
    database = open_database()
    try:
        with database.transaction() as session:
            tokens.revoke_token(db_session=session, token_id=token_id, actor=cli_actor())
    finally:
        database.dispose()
    console.print(f"令牌 {token_id} 已吊销 / revoked")

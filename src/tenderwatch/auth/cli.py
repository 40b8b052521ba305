"""`tenderwatch tokens …`: issue, list and revoke API tokens of machine users."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console

from tenderwatch.auth import tokens
from tenderwatch.config import get_settings
from tenderwatch.db import Database

tokens_app = typer.Typer(help="接口令牌 / API tokens for machine users", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


def _db() -> Database:
    database = Database(get_settings())
    database.upgrade()
    return database


def _actor() -> str:
    # The CLI runs as an operator on the server; their OS account is the best identity available here.
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


@tokens_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="令牌所属用户 / the user the token acts for")],
    name: Annotated[str, typer.Option(help="用途，如“杭州交易平台” / what the token is for")],
) -> None:
    """签发令牌（只显示一次） / Issue a token; it is shown once only."""
    database = _db()
    try:
        with database.transaction() as session:
            row, clear = tokens.create_token(db_session=session, username=username, name=name, actor=_actor())
            token_id = tokens.display_id(row)
    finally:
        database.dispose()
    console.print(f"令牌 {token_id} 已签发，请立即保存（不会再次显示） / token issued; store it now:")
    console.print(clear)


@tokens_app.command("list")
def list_() -> None:
    """列出令牌 / List tokens (never their secrets)."""
    database = _db()
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
    database = _db()
    try:
        with database.transaction() as session:
            tokens.revoke_token(db_session=session, token_id=token_id, actor=_actor())
    finally:
        database.dispose()
    console.print(f"令牌 {token_id} 已吊销 / revoked")

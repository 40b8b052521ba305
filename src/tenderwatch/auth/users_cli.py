"""`tenderwatch users …`: accounts, grants, activation, passwords and the ID number behind an account.

Every command is an audited change by the operator (``cli:<os user>``). Passwords are read from a hidden
prompt, or from standard input with ``--password-stdin`` for provisioning scripts — never from an argument,
which would land in the shell history and the process list.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from tenderwatch.audit import service as audit
from tenderwatch.auth import admin
from tenderwatch.cli_common import cli_actor, cli_transaction
from tenderwatch.common.identifiers import mask_id_number

users_app = typer.Typer(help="用户与授权 / Users and grants", no_args_is_help=True)
identity_app = typer.Typer(help="账号对应的身份证号码（利益冲突核查用） / ID numbers behind accounts")
users_app.add_typer(identity_app, name="identity")
console = Console(highlight=False, soft_wrap=True)

Industries = Annotated[
    str, typer.Option(help="行业，逗号分隔，空=全部 / industries, comma-separated, empty = all")
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="从标准输入读取密码 / read the password from stdin")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True))


def _split(industries: str) -> list[str]:
    return [i.strip() for i in industries.split(",") if i.strip()]


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="用户名 / username")],
    name: Annotated[str, typer.Option(help="显示名称 / display name")],
    role: Annotated[str, typer.Option(help="角色 / role")],
    region: Annotated[str, typer.Option(help="辖区行政区划代码前缀 / region prefix (2, 4 or 6 digits)")],
    industries: Industries = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """新建用户及首个授权 / Create a user with a first grant."""
    password = _password(password_stdin)
    with cli_transaction() as session:
        admin.add_user(
            db_session=session,
            actor=cli_actor(),
            username=username,
            display_name=name,
            password=password,
            grants=[(role, region, _split(industries))],
        )
    console.print(f"已新建用户 {username} / user {username} created ({role}@{region})")


@users_app.command("list")
def list_() -> None:
    """列出用户及授权 / List users and their grants."""
    with cli_transaction() as session:
        lines = [
            "\t".join(
                (
                    u.username,
                    u.display_name,
                    "active" if u.active else "DISABLED",
                    " ".join(
                        f"{g.role}@{g.region_prefix}"
                        + (f"[{','.join(g.industries)}]" if g.industries else "")
                        for g in u.grants
                    ),
                )
            )
            for u in admin.list_users(db_session=session)
        ]
    for line in lines or ["（无用户） / no users"]:
        console.print(line, markup=False)


@users_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="用户名 / username")],
    role: Annotated[str, typer.Option(help="角色 / role")],
    region: Annotated[str, typer.Option(help="辖区前缀 / region prefix")],
    industries: Industries = "",
) -> None:
    """增加授权 / Add a grant (role, region prefix, industries)."""
    with cli_transaction() as session:
        admin.add_grant(
            db_session=session,
            actor=cli_actor(),
            username=username,
            role=role,
            region_prefix=region,
            industries=_split(industries),
        )
    console.print(f"已授权 / granted {role}@{region} to {username}")


@users_app.command("revoke-grant")
def revoke_grant(
    username: Annotated[str, typer.Argument(help="用户名 / username")],
    role: Annotated[str, typer.Option(help="角色 / role")],
    region: Annotated[str, typer.Option(help="辖区前缀 / region prefix")],
) -> None:
    """撤销授权 / Remove a grant."""
    with cli_transaction() as session:
        admin.remove_grant(
            db_session=session, actor=cli_actor(), username=username, role=role, region_prefix=region
        )
    console.print(f"已撤销 / revoked {role}@{region} of {username}")


@users_app.command("disable")
def disable(username: Annotated[str, typer.Argument(help="用户名 / username")]) -> None:
    """停用账号（保留历史） / Disable an account (its history stays)."""
    _set_active(username, False)


@users_app.command("enable")
def enable(username: Annotated[str, typer.Argument(help="用户名 / username")]) -> None:
    """启用账号 / Enable an account."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    with cli_transaction() as session:
        admin.set_active(db_session=session, actor=cli_actor(), username=username, active=active)
    console.print(f"{username}: {'已启用 / enabled' if active else '已停用 / disabled'}")


@users_app.command("passwd")
def passwd(
    username: Annotated[str, typer.Argument(help="用户名 / username")], password_stdin: PasswordStdin = False
) -> None:
    """重设密码 / Set a new password."""
    password = _password(password_stdin)
    with cli_transaction() as session:
        admin.set_password(db_session=session, actor=cli_actor(), username=username, password=password)
    console.print(f"{username}: 密码已更新 / password changed")


@identity_app.command("add")
def identity_add(
    username: Annotated[str, typer.Argument(help="用户名 / username")],
    id_number: Annotated[str, typer.Argument(help="居民身份证号码 / resident ID number")],
) -> None:
    """登记账号对应的身份证号码 / Record the ID number of the person behind an account."""
    with cli_transaction() as session:
        admin.add_identity(db_session=session, actor=cli_actor(), username=username, id_number=id_number)
    console.print(f"{username}: 已登记 / recorded {mask_id_number(id_number.strip().upper())}")


@identity_app.command("remove")
def identity_remove(
    username: Annotated[str, typer.Argument(help="用户名 / username")],
    id_number: Annotated[str, typer.Argument(help="居民身份证号码 / resident ID number")],
) -> None:
    """删除登记的身份证号码 / Remove a recorded ID number."""
    with cli_transaction() as session:
        admin.remove_identity(db_session=session, actor=cli_actor(), username=username, id_number=id_number)
    console.print(f"{username}: 已删除 / removed")


@identity_app.command("list")
def identity_list(
    show: Annotated[
        bool, typer.Option("--show", help="显示完整号码（记入审计） / show in full (audited)")
    ] = False,
) -> None:
    """列出登记的身份证号码（默认打码） / List recorded ID numbers (masked unless --show)."""
    with cli_transaction() as session:
        found = admin.identities(db_session=session)
        if show and found:
            # Seeing the numbers in full is a view of personal data: who looked is kept.
            audit.record(
                session,
                cli_actor(),
                "view_personal",
                "user_identity",
                "*",
                personal={"users": sorted(found)},
            )
    for username, codes in found.items():
        console.print(
            f"{username}\t" + " ".join(c if show else mask_id_number(c) for c in codes), markup=False
        )
    if not found:
        console.print("（未登记） / none recorded")

"""`tenderwatch audit …`: verify the trail, make, counter-sign and export checkpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from rich.console import Console
from rich.table import Table

from tenderwatch.cli_common import cli_actor, open_database
from tenderwatch.config import get_settings
from tenderwatch.errors import UserError

audit_app = typer.Typer(help="审计日志 / Tamper-evident audit trail", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)


def _print_report(report_lines: list[str], summary: str, ok: bool) -> None:
    for line in report_lines:
        console.print(line)
    console.print(summary)
    if not ok:
        raise typer.Exit(1)


def _trusted_system_keys(given: list[str] | None) -> set[str] | None:
    """Key ids given on the command line, else the key file's own key, else None (trust registered keys)."""
    from tenderwatch.audit.keys import key_id, read_private_key

    if given:
        return set(given)
    path = get_settings().effective_audit_key_file
    return {key_id(read_private_key(path).public_key())} if path.exists() else None


@audit_app.command("verify")
def verify(
    bundle: Annotated[
        Path | None, typer.Option(help="检查点包，离线核验 / bundle file, verified offline")
    ] = None,
    trust_key: Annotated[
        list[str] | None, typer.Option(help="受信任的系统密钥编号 / trusted system key id (repeatable)")
    ] = None,
) -> None:
    """核验审计日志 / Recompute the chain, Merkle roots and signatures; exit 1 if anything was tampered."""
    from tenderwatch.audit.bundle import verify_bundle
    from tenderwatch.audit.verify import verify_database

    if bundle is not None:
        report = verify_bundle(bundle, set(trust_key) if trust_key else None)
    else:
        database = open_database()
        with database.session() as session:
            report = verify_database(session, _trusted_system_keys(trust_key))
        database.dispose()
    lines = [p.line() for p in report.problems]
    if report.ok:
        summary = (
            f"完好：{report.events}条事件，{report.checkpoints}个检查点，{report.cosignatures}个会签 / "
            f"intact: {report.events} events, {report.checkpoints} checkpoints, {report.cosignatures} cosignatures"
        )
    else:
        summary = f"发现{len(lines)}个问题 / {len(lines)} problems found"
    _print_report(lines, summary, report.ok)


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """生成签名检查点 / Sign a checkpoint of the whole log with the system key."""
    from tenderwatch.audit.checkpoints import make_checkpoint

    database = open_database()
    with database.transaction() as session:
        cp = make_checkpoint(session, get_settings().effective_audit_key_file, cli_actor())
        console.print(
            f"检查点{cp.id}：{cp.tree_size}条事件，根 {cp.root_hash}，密钥 {cp.key_id} / "
            f"checkpoint {cp.id}: {cp.tree_size} events, root {cp.root_hash}, key {cp.key_id}"
        )
    database.dispose()


@audit_app.command("keygen")
def keygen(out: Annotated[Path, typer.Option(help="私钥文件 / private key file to create")]) -> None:
    """生成会签密钥对 / Make an Ed25519 witness key pair (OUT and OUT.pub)."""
    from tenderwatch.audit.keys import public_b64, write_private_key

    if out.exists():
        raise UserError(f"文件已存在：{out}", f"file exists: {out}")
    key = Ed25519PrivateKey.generate()
    write_private_key(out, key)
    pub = out.with_name(out.name + ".pub")
    pub.write_text(public_b64(key.public_key()) + "\n", encoding="utf-8")
    console.print(f"私钥 / private key: {out}\n公钥 / public key: {pub}")


@audit_app.command("register-key")
def register_key(
    user: Annotated[str, typer.Option(help="纪检监察干部用户名 / the inspector's username")],
    public_key: Annotated[Path, typer.Option(help="公钥文件（base64）/ public key file (base64)")],
) -> None:
    """登记会签公钥 / Register an oversight user's public key."""
    from tenderwatch.audit.checkpoints import register_witness_key

    try:
        value = public_key.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"无法读取公钥文件：{public_key}", f"cannot read {public_key}: {exc}") from exc
    database = open_database()
    with database.transaction() as session:
        row = register_witness_key(session, user, value, cli_actor())
        console.print(f"已登记 {row.owner} 的公钥 {row.key_id} / registered key {row.key_id} for {row.owner}")
    database.dispose()


@audit_app.command("cosign")
def cosign(
    key: Annotated[Path, typer.Option(help="会签私钥文件 / witness private key file")],
    user: Annotated[str, typer.Option(help="纪检监察干部用户名 / the inspector's username")],
    checkpoint_id: Annotated[
        int | None, typer.Option("--checkpoint", help="默认最新 / default: latest")
    ] = None,
) -> None:
    """会签检查点 / Verify the whole log, then counter-sign a checkpoint."""
    from tenderwatch.audit import checkpoints
    from tenderwatch.audit.keys import read_private_key
    from tenderwatch.audit.models import AuditCheckpoint
    from tenderwatch.audit.verify import verify_database

    private = read_private_key(key)
    database = open_database()
    with database.transaction() as session:
        report = verify_database(session)
        if not report.ok:
            for problem in report.problems:
                console.print(problem.line())
            raise UserError("日志未通过核验，拒绝会签", "the log does not verify; refusing to counter-sign")
        cp = session.get(AuditCheckpoint, checkpoint_id) if checkpoint_id else checkpoints.latest(session)
        if cp is None:
            raise UserError("没有该检查点", "no such checkpoint")
        cosig = checkpoints.cosign(session, cp, user, private)
        console.print(
            f"{user} 已会签检查点{cp.id}（密钥 {cosig.key_id}）/ {user} counter-signed checkpoint {cp.id}"
        )
    database.dispose()


@audit_app.command("export-checkpoint")
def export_checkpoint(
    out: Annotated[Path, typer.Option(help="输出的JSON文件 / bundle file to write")],
    checkpoint_id: Annotated[
        int | None, typer.Option("--checkpoint", help="默认最新 / default: latest")
    ] = None,
    since: Annotated[
        int | None, typer.Option(help="一致性证明的起点，默认上次导出 / proof base; default: last export")
    ] = None,
    event: Annotated[
        list[int] | None, typer.Option(help="附带包含证明的事件序号 / event seq to prove (repeatable)")
    ] = None,
) -> None:
    """导出检查点包 / Write a self-contained, offline-verifiable checkpoint bundle."""
    from tenderwatch.audit.bundle import build

    database = open_database()
    with database.transaction() as session:
        data = build(session, checkpoint_id, since, cli_actor(), event or [])
    database.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    cp = data["checkpoint"]
    console.print(f"已导出检查点{cp['id']} → {out} / exported checkpoint {cp['id']} → {out}")


@audit_app.command("log")
def log(limit: Annotated[int, typer.Option(help="条数 / number of events")] = 20) -> None:
    """最近的审计事件 / The latest audit events (personal data is never shown)."""
    from tenderwatch.audit.service import recent

    database = open_database()
    table = Table("seq", "time", "actor", "action", "subject", "details")
    with database.session() as session:
        for e in recent(session, max(limit, 1)):
            details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
            table.add_row(
                str(e.seq),
                e.at.isoformat(timespec="seconds"),
                e.actor,
                e.action,
                f"{e.subject_type}:{e.subject_id}",
                details,
            )
    database.dispose()
    console.print(table)

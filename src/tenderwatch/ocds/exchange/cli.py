"""`tenderwatch ocds import`, `ocds export` and `ocds validate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from tenderwatch.cli_common import cli_actor, open_database
from tenderwatch.errors import UserError

if TYPE_CHECKING:
    pass

console = Console()


def import_command(
    files: Annotated[list[Path], typer.Argument(help="OCDS files: release/record packages or JSON Lines")],
    source_unit: Annotated[
        str | None,
        typer.Option("--source-unit", help="delivering unit from the catalogue, e.g. trading_center"),
    ] = None,
) -> None:
    """导入OCDS数据 / Import OCDS release packages, record packages or JSON Lines."""
    from tenderwatch.catalog import get_catalog
    from tenderwatch.ocds.exchange.flows import import_file

    units = get_catalog().source_units
    if source_unit is not None and source_unit not in units:
        known = ", ".join(units)
        raise UserError(
            f"未知的数据提供单位“{source_unit}”，可选：{known}",
            f"unknown source unit '{source_unit}'; known: {known}",
        )
    # Recorded as the batches' source, so an OCDS batch is told apart from a native delivery.
    source = "ocds" if source_unit is None else f"ocds:{source_unit}"
    database = open_database()
    rejected = 0
    failed = 0
    for path in files:
        try:
            summary = import_file(database, path, source=source)
        except UserError as exc:  # one unusable file does not stop the others
            console.print(f"错误 / error: {exc}", highlight=False, markup=False)
            failed += 1
            continue
        console.print(
            f"{summary.file_name}：读取发布{summary.releases}个，合同过程{summary.processes}个，"
            f"拒收{summary.problems}处 / read {summary.releases} releases, {summary.processes} processes, "
            f"{summary.problems} refused before mapping",
            highlight=False,
        )
        table = Table(
            "数据集 dataset", "批次 batch", "状态 status", "收到 received", "接收 accepted", "拒收 rejected"
        )
        for r in summary.results:
            table.add_row(
                r.dataset or "-",
                str(r.batch_id or r.duplicate_of or "-"),
                r.status,
                f"{r.received:,}",
                f"{r.accepted:,}",
                f"{r.rejected:,}",
            )
        console.print(table)
        rejected += summary.rejected
    if rejected:
        console.print(
            f"有{rejected}条记录被拒收，用 `tenderwatch rejects 批次号` 查看原因 / "
            f"{rejected} records rejected; see `tenderwatch rejects BATCH`",
            highlight=False,
        )
    if rejected or failed:
        raise typer.Exit(1)


def export_command(
    out: Annotated[Path, typer.Option("--out", help="output file (.jsonl, or .json with --package)")],
    package: Annotated[
        bool, typer.Option("--package", help="write one release package instead of JSON Lines")
    ] = False,
) -> None:
    """导出OCDS编译发布（含投标扩展）/ Export compiled releases with the bids extension."""
    from tenderwatch.ocds.exchange.export import export_file

    count = export_file(open_database(), out, package=package, actor=cli_actor())
    console.print(
        f"已导出{count}个编译发布到 {out} / exported {count} compiled releases to {out}", highlight=False
    )


def validate_command(file: Annotated[Path, typer.Argument(help="OCDS file to check")]) -> None:
    """按OCDS模式校验文件 / Validate an OCDS file against the schema (with the bids extension)."""
    from tenderwatch.ocds.exchange.checks import check_file

    problems, releases = check_file(file)
    for p in problems:
        console.print(
            f"{file.name}:{p.line} {p.ocid or '-'} {p.path}: {p.message_zh} / {p.message_en}",
            highlight=False,
            markup=False,
        )
    if problems:
        console.print(
            f"{releases}个发布，{len(problems)}处错误 / {releases} releases, {len(problems)} errors",
            highlight=False,
        )
        raise typer.Exit(1)
    console.print(f"{releases}个发布均符合模式 / all {releases} releases match the schema", highlight=False)


def register(app: typer.Typer) -> None:
    """Add import, export and validate to the `ocds` command group."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("validate")(validate_command)

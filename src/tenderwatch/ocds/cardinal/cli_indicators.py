"""`tenderwatch ocds indicators`: OCDS Cardinal's red-flag indicators, same input, settings and output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from tenderwatch.errors import UserError


def _open_input(file: str) -> BinaryIO:
    if file == "-":
        return sys.stdin.buffer
    path = Path(file)
    if path.is_dir():
        raise UserError(f"{file}：是目录，不是文件", f"{file}: Is a directory, not a file")
    try:
        return path.open("rb")
    except OSError as error:
        raise UserError(f"{file}：无法打开（{error.strerror}）", f"{file}: {error.strerror}") from None


def indicators_command(
    file: Annotated[
        str,
        typer.Argument(
            help="JSON Lines 文件，每行一个合同过程（- 为标准输入）/ compiled releases, one per line (- = stdin)"
        ),
    ],
    settings: Annotated[
        Path | None,
        typer.Option("--settings", "-s", help="INI 设置文件 / the settings file (Cardinal's format)"),
    ] = None,
    count: Annotated[
        bool,
        typer.Option(
            "--count", "-c", help="向标准错误输出各组结果数 / print the number of results per group to stderr"
        ),
    ] = False,
    no_meta: Annotated[bool, typer.Option("--no-meta", help="省略 Meta 键 / exclude the Meta key")] = False,
    map_: Annotated[
        bool,
        typer.Option(
            "--map", help="加入 Maps 键（合同过程到组织）/ include the Maps key (processes to organizations)"
        ),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="json（默认，与 Cardinal 相同）、csv 或 parquet / json (default, as Cardinal), csv or parquet",
        ),
    ] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="csv/parquet 输出路径 / output path for csv or parquet")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="工作进程数（默认为 CPU 数）/ worker processes (default: CPUs)"
        ),
    ] = None,
) -> None:
    """计算红旗指标 / Calculate procurement red-flag indicators from OCDS compiled releases (OCDS Cardinal)."""
    from tenderwatch.ocds.cardinal.indicators.context import make_context
    from tenderwatch.ocds.cardinal.indicators.finalize import finalize
    from tenderwatch.ocds.cardinal.indicators.output import count_lines, to_json, write_table
    from tenderwatch.ocds.cardinal.indicators.reading import fold_stream
    from tenderwatch.ocds.cardinal.settings import load_settings

    if fmt not in ("json", "csv", "parquet"):
        raise UserError(
            f"未知格式 {fmt}（可用 json、csv、parquet）", f"unknown format {fmt} (use json, csv or parquet)"
        )
    if fmt != "json" and out is None:
        raise UserError(f"--format {fmt} 需要 --out 路径", f"--format {fmt} needs an --out path")
    ctx = make_context(load_settings(settings), map_)
    stream = _open_input(file)
    try:
        merged = fold_stream(stream, ctx, workers)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    for line, error in merged.invalid:
        sys.stderr.write(
            f"警告：第 {line} 行不是有效的 JSON，已跳过 / WARN: Line {line} is invalid JSON, skipping. [{error}]\n"
        )
    results = finalize(merged, ctx)
    if results.currency_skipped and not ctx.settings.get_bool("output", "info_currency_mismatches"):
        sys.stderr.write(
            f"警告：{results.currency_skipped} 个出价金额不是主币种 {results.currency}，已跳过 / "
            f"WARN: {results.currency_skipped} bid amounts not in the main currency {results.currency}, skipped\n"
        )
    if fmt == "json":
        sys.stdout.write(to_json(results, meta=not no_meta, maps=map_) + "\n")
        sys.stdout.flush()
    else:
        assert out is not None
        write_table(results, fmt, out)
    if count:
        for line_text in count_lines(results):
            sys.stderr.write(line_text + "\n")


def register(app: typer.Typer) -> None:
    """Add the indicators command to the `ocds` command group."""
    app.command("indicators")(indicators_command)

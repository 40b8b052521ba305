"""`tenderwatch ocds prepare`, `ocds init` and `ocds coverage`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add prepare, init and coverage to the `ocds` command group."""
    app.command("prepare")(prepare)
    app.command("init")(init)
    app.command("coverage")(coverage)


def prepare(
    file: Annotated[
        str,
        typer.Argument(help="JSON 行文件（- 为标准输入）/ JSON-lines file of compiled releases (- = stdin)"),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="更正后的数据 / corrected data (- = stdout)")],
    errors: Annotated[
        str, typer.Option("--errors", "-e", help="质量问题 CSV / quality issues as CSV (- = stdout)")
    ],
    settings: Annotated[
        str | None, typer.Option("--settings", "-s", help="INI 设置文件 / INI settings file")
    ] = None,
) -> None:
    """更正 OCDS 汇编发布的质量问题 / Correct quality issues in OCDS compiled releases (Cardinal's prepare).

    Corrected data is written as JSON lines; quality issues as CSV rows with the columns: line,
    ocid, path, array indexes, incorrect value, error description.
    """
    from tenderwatch.ocds.cardinal.prepare import PrepareOptions, run_prepare
    from tenderwatch.ocds.cardinal.settings import load_settings

    options = PrepareOptions.from_settings(load_settings(settings))
    with _closed_pipe_ends_quietly():
        run_prepare(file, options, output, errors)


def init(
    file: Annotated[
        str, typer.Argument(help="要写入的设置文件（- 为标准输出）/ settings file to write (- = stdout)")
    ],
    force: Annotated[
        bool, typer.Option("--force", "-f", help="覆盖已有文件 / overwrite the file if it exists")
    ] = False,
) -> None:
    """写入默认设置文件 / Write Cardinal's default settings file."""
    from tenderwatch.ocds.cardinal.init import write_default_settings

    with _closed_pipe_ends_quietly():
        written_to_stdout = write_default_settings(file, force)
    if not written_to_stdout:
        typer.echo(f"设置已写入 {_quoted(file)} / Settings written to {_quoted(file)}.")


def coverage(
    file: Annotated[str, typer.Argument(help="JSON 行文件（- 为标准输入）/ JSON-lines file (- = stdin)")],
) -> None:
    """统计各 JSON 路径非空的次数 / Count how often each JSON path is non-empty (Cardinal's coverage).

    Empty nodes are "", [], {} and null, and nodes holding only empty nodes. The "" path is a line,
    a path ending in / an object, one ending in [] an array element; others are object members.
    """
    from tenderwatch.ocds.cardinal.coverage import coverage_file, format_counts

    counts = coverage_file(file)
    with _closed_pipe_ends_quietly():
        sys.stdout.write(format_counts(counts) + "\n")
        sys.stdout.flush()


@contextmanager
def _closed_pipe_ends_quietly() -> Iterator[None]:
    """`… | head` closing the pipe ends the command without a message, as SIGPIPE ends Cardinal."""
    try:
        yield
    except BrokenPipeError:
        # Later flushes of standard output (at exit too) go nowhere instead of failing again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(141) from None


def _quoted(path: str) -> str:
    # As Cardinal prints the path (Rust's Debug of a path: in double quotes).
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'

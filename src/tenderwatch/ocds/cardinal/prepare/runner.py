"""Stream a JSON-lines file through prepare: corrected releases out, quality issues to CSV.

Lines are handled one at a time in input order, so the output is deterministic (Cardinal's is in
thread order unless run on one thread). Invalid JSON and non-object lines are warned about on standard
error with their line number and skipped; blank lines are skipped silently.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tenderwatch.errors import UserError
from tenderwatch.ocds.cardinal.prepare.issues import IssueWriter
from tenderwatch.ocds.cardinal.prepare.jsonio import dumps, loads
from tenderwatch.ocds.cardinal.prepare.options import PrepareOptions
from tenderwatch.ocds.cardinal.prepare.release import prepare_release

STDIO = "-"
_ASCII_WHITESPACE = b" \t\n\r\x0c"


def warn(message_zh: str, message_en: str) -> None:
    # The same form as `ocds indicators` uses.
    print(f"警告：{message_zh} / WARN: {message_en}", file=sys.stderr, flush=True)


def open_input(name: str, stack: ExitStack) -> BinaryIO:
    """The input file, or standard input for "-"; a missing file or a directory is a UserError."""
    if name == STDIO:
        return sys.stdin.buffer
    path = Path(name)
    if path.is_dir():
        raise UserError(f"{name}：是目录，不是文件", f"{name}: is a directory, not a file")
    try:
        return stack.enter_context(path.open("rb"))
    except OSError as exc:
        raise UserError(f"无法读取 {name}：{exc.strerror}", f"cannot read {name}: {exc.strerror}") from None


def open_output(name: str, stack: ExitStack) -> BinaryIO:
    if name == STDIO:
        return sys.stdout.buffer
    path = Path(name)
    if path.is_dir():
        raise UserError(f"{name}：是目录，不是文件", f"{name}: is a directory, not a file")
    try:
        return stack.enter_context(path.open("wb"))
    except OSError as exc:
        raise UserError(f"无法写入 {name}：{exc.strerror}", f"cannot write {name}: {exc.strerror}") from None


def json_lines(stream: BinaryIO, parse: Callable[[bytes], Any] = loads) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line that is JSON; others are warned about.

    `parse` keeps number text by default; coverage, which only tells empty from non-empty, passes a
    faster one.
    """
    for number, raw in enumerate(stream, start=1):
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if line.endswith(b"\r"):
            line = line[:-1]
        try:
            yield number, parse(line)
        except (ValueError, RecursionError) as exc:
            if line.strip(_ASCII_WHITESPACE):
                warn(
                    f"第 {number} 行不是有效的 JSON，已跳过",
                    f"Line {number} is invalid JSON, skipping. [{exc}]",
                )


class _Utf8:
    """The text side of a binary stream for the issue writer (unlike TextIOWrapper, it never closes
    the stream, which may be standard output)."""

    def __init__(self, binary: BinaryIO) -> None:
        self._binary = binary

    def write(self, text: str) -> int:
        self._binary.write(text.encode("utf-8"))
        return len(text)


@dataclass
class PrepareCounts:
    """The last line number read, and how many releases and issues were written."""

    lines: int = 0
    written: int = 0
    issues: int = 0


def _refuse_overwriting_input(source: str, target: str) -> None:
    # Opening the output truncates it before the input is read: the input would be lost.
    if STDIO in (source, target) or not Path(target).exists():
        return
    if Path(source).exists() and Path(source).samefile(target):
        raise UserError(
            f"{target} 是输入文件，不能覆盖", f"{target} is the input file; it would be overwritten"
        )


def run_prepare(source: str, options: PrepareOptions, output: str, errors: str) -> PrepareCounts:
    counts = PrepareCounts()
    _refuse_overwriting_input(source, output)
    _refuse_overwriting_input(source, errors)
    with ExitStack() as stack:
        reader = open_input(source, stack)
        out = open_output(output, stack)
        # The same file for both (or "-" for both) is opened once, so neither truncates the other.
        err = out if errors == output else open_output(errors, stack)
        issue_writer = IssueWriter(_Utf8(err))
        for number, value in json_lines(reader):
            counts.lines = number
            if not isinstance(value, dict):
                warn(
                    f"第 {number} 行不是 JSON 对象，已跳过", f"Line {number} is not a JSON object, skipping."
                )
                continue
            rows = prepare_release(value, number, options, warn)
            try:
                encoded = dumps(value)
            except orjson.JSONEncodeError as exc:
                # Lone surrogates pass the standard library's parser but are not valid JSON text.
                warn(
                    f"第 {number} 行不是有效的 JSON，已跳过",
                    f"Line {number} is invalid JSON, skipping. [{exc}]",
                )
                continue
            issue_writer.write(rows)
            out.write(encoded)
            out.write(b"\n")
            counts.written += 1
            counts.issues += len(rows)
        err.flush()
        out.flush()
    return counts

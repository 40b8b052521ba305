"""`ocds validate`: every release of a file checked against the schema, nothing imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderwatch.ocds.exchange.packages import Problem, read_ocds
from tenderwatch.ocds.exchange.validate import release_errors


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix if path == "$" else f"{prefix}.{path}"


def _check(release: dict[str, Any], line: int, prefix: str, ocid: str, out: list[Problem]) -> None:
    for error in release_errors(release):
        out.append(
            Problem(
                line,
                _join(prefix, error.path) or "$",
                "ocds_schema",
                f"不符合OCDS模式：{error.message}",
                f"does not match the OCDS schema: {error.message}",
                ocid,
            )
        )


def check_file(path: Path) -> tuple[list[Problem], int]:
    """(problems, releases checked). Linked releases of a record (url only) are not checked."""
    read = read_ocds(path)
    problems = list(read.problems)
    checked = 0
    for entry in read.entries:
        if entry.kind != "record":
            _check(entry.data, entry.line, entry.path, entry.ocid, problems)
            checked += 1
            continue
        releases = entry.data.get("releases")
        for i, release in enumerate(releases if isinstance(releases, list) else []):
            if isinstance(release, dict) and "ocid" in release:
                _check(release, entry.line, _join(entry.path, f"releases[{i}]"), entry.ocid, problems)
                checked += 1
        compiled = entry.data.get("compiledRelease")
        if isinstance(compiled, dict):
            _check(compiled, entry.line, _join(entry.path, "compiledRelease"), entry.ocid, problems)
            checked += 1
    problems.sort(key=lambda p: p.line)
    return problems, checked

"""From the entries of a file to one compiled release per contracting process, schema-checked.

A process whose data breaks the schema is refused as a whole: compiling the rest of its releases
would present a state the publisher never published. Every refusal names the line, the ocid and the
JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tenderwatch.ocds.exchange.merge import compile_releases
from tenderwatch.ocds.exchange.packages import Entry, Problem, ReadResult
from tenderwatch.ocds.exchange.validate import release_errors


@dataclass(slots=True)
class Process:
    ocid: str
    line: int  # where the process first appears in the file
    path: str  # JSON path prefix of the release the mapped paths are relative to
    release: dict[str, Any]  # the compiled release


@dataclass(slots=True)
class Candidate:
    line: int
    path: str
    data: dict[str, Any]


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path or path == "$":
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _is_linked(release: Any) -> bool:
    """A record's linked release: only a url (with date and tag), no content to compile."""
    return isinstance(release, dict) and "url" in release and "ocid" not in release


def _check(candidate: Candidate, ocid: str, problems: list[Problem]) -> bool:
    errors = release_errors(candidate.data)
    for error in errors:
        problems.append(
            Problem(
                candidate.line,
                _join(candidate.path, error.path),
                "ocds_schema",
                f"不符合OCDS模式：{error.message}",
                f"does not match the OCDS schema: {error.message}",
                ocid,
            )
        )
    return not errors


def _split(
    entry: Entry, releases: list[Candidate], compiled: list[Candidate], problems: list[Problem]
) -> None:
    if entry.kind == "release":
        releases.append(Candidate(entry.line, entry.path, entry.data))
        return
    if entry.kind == "compiled":
        compiled.append(Candidate(entry.line, entry.path, entry.data))
        return
    record = entry.data
    if isinstance(record.get("compiledRelease"), dict):
        compiled.append(
            Candidate(entry.line, _join(entry.path, "compiledRelease"), record["compiledRelease"])
        )
        return
    raw_items = record.get("releases")
    items: list[Any] = raw_items if isinstance(raw_items, list) else []
    for i, item in enumerate(items):
        path = _join(entry.path, f"releases[{i}]")
        if _is_linked(item) or not isinstance(item, dict):
            problems.append(
                Problem(
                    entry.line,
                    path,
                    "linked_release",
                    "记录只含发布链接（url），没有可编译的发布内容，也没有 compiledRelease",
                    "the record holds only a linked release (url) and no compiledRelease; nothing to compile",
                    entry.ocid,
                )
            )
            continue
        releases.append(Candidate(entry.line, path, item))


def compile_processes(read: ReadResult) -> tuple[list[Process], list[Problem], int]:
    """(processes, problems, releases seen). Problems include those found while reading."""
    problems = list(read.problems)
    by_ocid: dict[str, list[Entry]] = {}
    for entry in read.entries:
        by_ocid.setdefault(entry.ocid, []).append(entry)
    processes: list[Process] = []
    seen = 0
    for ocid, entries in by_ocid.items():
        releases: list[Candidate] = []
        compiled: list[Candidate] = []
        before = len(problems)
        for entry in entries:
            _split(entry, releases, compiled, problems)
        seen += len(releases) + len(compiled)
        valid = all([_check(c, ocid, problems) for c in (*releases, *compiled)])
        if not valid or len(problems) > before:
            continue
        first = entries[0]
        if compiled:
            # A compiled release already holds the merged state; the latest one is the newest state.
            chosen = max(compiled, key=lambda c: str(c.data.get("date") or ""))
            processes.append(Process(ocid, chosen.line, chosen.path, chosen.data))
        elif releases:
            merged = compile_releases([c.data for c in releases])
            processes.append(
                Process(ocid, first.line, releases[-1].path if len(releases) == 1 else "", merged)
            )
    return processes, problems, seen

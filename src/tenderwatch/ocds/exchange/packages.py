"""Reading OCDS files: release packages, record packages, and JSON Lines of releases or packages.

Every release found is returned with where it was found, so any later problem can name the file,
the line and the JSON path. In a JSON Lines file the line is the physical line; in a single JSON
document (a package) it is the 1-based position of the release or record in its array, the same
convention the CSV/JSONL reader uses for JSON arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from tenderwatch.errors import UserError

Kind = Literal["release", "compiled", "record"]


@dataclass(slots=True)
class Entry:
    """One release, compiled release, or record (its releases and compiled release) found in a file."""

    line: int
    path: str  # JSON path of the entry inside its line/document, e.g. "releases[3]" or "" for a bare line
    kind: Kind
    data: dict[str, Any]

    @property
    def ocid(self) -> str:
        value = self.data.get("ocid")
        return value if isinstance(value, str) else ""


@dataclass(slots=True)
class Problem:
    """A part of a file that cannot be used at all (bad JSON, not an object, no ocid, …)."""

    line: int
    path: str
    code: str
    message_zh: str
    message_en: str
    ocid: str = ""


@dataclass(slots=True)
class ReadResult:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _is_compiled(release: dict[str, Any]) -> bool:
    tag = release.get("tag")
    return isinstance(tag, list) and "compiled" in tag


def _from_object(item: Any, line: int, prefix: str, out: ReadResult) -> None:
    """Sort one JSON value into entries: a package is opened, a release is taken as it is."""
    where = prefix or "$"
    if not isinstance(item, dict):
        out.problems.append(Problem(line, where, "not_an_object", "不是JSON对象", "not a JSON object"))
        return
    join = f"{prefix}." if prefix else ""
    if isinstance(item.get("releases"), list) and "ocid" not in item:
        for i, release in enumerate(item["releases"]):
            _release(release, line, f"{join}releases[{i}]", out)
        return
    if isinstance(item.get("records"), list):
        for i, record in enumerate(item["records"]):
            path = f"{join}records[{i}]"
            if isinstance(record, dict) and isinstance(record.get("ocid"), str):
                out.entries.append(Entry(line, path, "record", record))
            else:
                out.problems.append(Problem(line, path, "no_ocid", "记录缺少 ocid", "the record has no ocid"))
        return
    if isinstance(item.get("releases"), list):  # a bare record (ocid + releases) on a line of its own
        out.entries.append(Entry(line, prefix, "record", item))
        return
    _release(item, line, prefix, out)


def _release(item: Any, line: int, path: str, out: ReadResult) -> None:
    if not isinstance(item, dict):
        out.problems.append(Problem(line, path or "$", "not_an_object", "不是JSON对象", "not a JSON object"))
        return
    if not isinstance(item.get("ocid"), str) or not item["ocid"]:
        out.problems.append(Problem(line, path or "$", "no_ocid", "发布缺少 ocid", "the release has no ocid"))
        return
    out.entries.append(Entry(line, path, "compiled" if _is_compiled(item) else "release", item))


def read_ocds(path: Path) -> ReadResult:
    """All entries of one file. Raises ``UserError`` only when the file as a whole is unusable."""
    if not path.is_file():
        raise UserError(f"文件不存在：{path}", f"no such file: {path}")
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise UserError(f"{path.name}：文件为空", f"{path.name}: the file is empty")
    out = ReadResult()
    stripped = data.lstrip()
    whole: Any = None
    if stripped[:1] in (b"{", b"["):
        try:
            whole = orjson.loads(data)
        except orjson.JSONDecodeError:
            whole = None  # perhaps JSON Lines: one object per line
    if whole is not None:
        if isinstance(whole, list):
            # A bare JSON array of releases: positions are reported as lines (1-based).
            for i, item in enumerate(whole, start=1):
                _from_object(item, i, "", out)
        elif isinstance(whole, dict) and ("releases" in whole or "records" in whole) and "ocid" not in whole:
            _from_package(whole, out)
        else:
            _from_object(whole, 1, "", out)
        return out
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            item = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            out.problems.append(
                Problem(number, "$", "bad_json", f"JSON格式错误：{exc}", f"invalid JSON: {exc}")
            )
            continue
        _from_object(item, number, "", out)
    if not out.entries and out.problems and all(p.code == "bad_json" for p in out.problems):
        raise UserError(
            f"{path.name}：既不是JSON也不是JSON Lines文件", f"{path.name}: neither JSON nor JSON Lines"
        )
    return out


def _from_package(package: dict[str, Any], out: ReadResult) -> None:
    """A single package document: each release or record is numbered by its place in the array."""
    for key, kind in (("releases", "release"), ("records", "record")):
        items = package.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if kind == "record":
                if isinstance(item, dict) and isinstance(item.get("ocid"), str):
                    out.entries.append(Entry(i + 1, path, "record", item))
                else:
                    out.problems.append(
                        Problem(i + 1, path, "no_ocid", "记录缺少 ocid", "the record has no ocid")
                    )
            else:
                _release(item, i + 1, path, out)

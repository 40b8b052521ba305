"""`tenderwatch ocds coverage`: how often each JSON path is non-empty over a JSON-lines file.

Cardinal's methodology: walk each line's JSON tree, counting non-empty nodes. Empty nodes are "",
[], {} and null, and any node holding only empty nodes. Paths: "" is the line, a path ending in "/"
is an object, one ending in "[]" an array element, any other an object member. So
`{"a": [{"b": 1}]}` counts "", "/", "/a", "/a[]", "/a[]/" and "/a[]/b" once each.

Paths are listed in order of first appearance, parents before children (Cardinal's own order depends
on its threads; its tests accept any). The result is printed as Rust prints the map (`{"": 1, "/": 1}`),
which parses as JSON for ordinary member names.
"""

from __future__ import annotations

import unicodedata
from contextlib import ExitStack
from typing import Any

from tenderwatch.ocds.cardinal.prepare.jsonio import loads_for_counting
from tenderwatch.ocds.cardinal.prepare.runner import json_lines, open_input


def _walk(value: Any, path: str, found: list[str]) -> bool:
    """Append the non-empty paths under `value` (itself first) to `found`; return whether non-empty.

    A container's own paths are appended before its children are walked, and dropped again if no
    child turns out non-empty, which keeps the order parent-first without a second pass.
    """
    if value is None:
        return False
    if isinstance(value, str):
        if value:
            found.append(path)
            return True
        return False
    if isinstance(value, list):
        if not value:
            return False
        mark = len(found)
        found.append(path)
        item_path = path + "[]"
        non_empty = False
        for item in value:
            non_empty = _walk(item, item_path, found) or non_empty
        if not non_empty:
            del found[mark:]
        return non_empty
    if isinstance(value, dict):
        if not value:
            return False
        mark = len(found)
        object_path = path + "/"
        found.append(path)
        found.append(object_path)
        non_empty = False
        for key, member in value.items():
            non_empty = _walk(member, object_path + key, found) or non_empty
        if not non_empty:
            del found[mark:]
        return non_empty
    # Numbers (including 0) and booleans (including false) are values.
    found.append(path)
    return True


def count_paths(values: Any) -> dict[str, int]:
    """Counts per path over an iterable of parsed JSON lines."""
    counts: dict[str, int] = {}
    found: list[str] = []
    for value in values:
        found.clear()
        _walk(value, "", found)
        for path in found:
            counts[path] = counts.get(path, 0) + 1
    return counts


def coverage_file(source: str) -> dict[str, int]:
    """Counts per path over a JSON-lines file ("-" = standard input); bad lines are warned and skipped."""
    with ExitStack() as stack:
        stream = open_input(source, stack)
        return count_paths(value for _, value in json_lines(stream, loads_for_counting))


def _debug_str(text: str) -> str:
    """A string as Rust's `{:?}` prints it."""
    out = ['"']
    for char in text:
        if char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        elif char.isprintable() and unicodedata.category(char) not in ("Mn", "Me"):
            out.append(char)
        else:
            out.append(f"\\u{{{ord(char):x}}}")
    out.append('"')
    return "".join(out)


_SIMPLE_ESCAPES = {"\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\", '"': '\\"'}


def format_counts(counts: dict[str, int]) -> str:
    """The map as Cardinal prints it with `println!("{:?}", ..)` (without the newline)."""
    return "{" + ", ".join(f"{_debug_str(path)}: {count}" for path, count in counts.items()) + "}"

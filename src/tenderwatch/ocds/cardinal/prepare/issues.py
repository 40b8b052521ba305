"""Quality issues as Cardinal writes them: CSV rows of line, ocid, path, array indexes, incorrect
value, description ("not set", "invalid" or "is zero"), without a header."""

from __future__ import annotations

from typing import Any, Protocol

from tenderwatch.ocds.cardinal.prepare.jsonio import dumps, is_number, number_text

NOT_SET = "not set"
INVALID = "invalid"
IS_ZERO = "is zero"

Row = tuple[int, str, str, str, str, str]


def ocid_field(ocid: Any) -> str:
    """The ocid column. Cardinal's CSV writer prints a string as is and a missing or null ocid as an
    empty field; other types (which it cannot write) are shown as JSON text here."""
    if ocid is None:
        return ""
    if isinstance(ocid, str):
        return ocid
    if isinstance(ocid, bool):
        return "true" if ocid else "false"
    if is_number(ocid):
        return number_text(ocid)
    return dumps(ocid).decode("utf-8")


class Issues:
    """The rows of one line (one compiled release)."""

    __slots__ = ("line", "ocid", "rows")

    def __init__(self, line: int, ocid: Any) -> None:
        self.line = line
        self.ocid = ocid_field(ocid)
        self.rows: list[Row] = []

    def add(self, path: str, indexes: int | str, value: str, description: str) -> None:
        self.rows.append((self.line, self.ocid, path, str(indexes), value, description))


class TextSink(Protocol):
    def write(self, text: str, /) -> int: ...


_NEEDS_QUOTES = frozenset(',"\r\n')


def csv_field(text: str) -> str:
    """Quote a field only where needed, as Rust's csv crate does: for a comma, a quote, or a carriage
    return or line feed (Python's csv module leaves a lone carriage return unquoted)."""
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


class IssueWriter:
    """CSV rows without a header, "\\n" line ends."""

    def __init__(self, stream: TextSink) -> None:
        self._stream = stream

    def write(self, rows: list[Row]) -> None:
        if rows:
            self._stream.write(
                "".join(",".join([str(row[0]), *map(csv_field, row[1:])]) + "\n" for row in rows)
            )

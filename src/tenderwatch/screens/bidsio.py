"""Reading the canonical bids CSV: ``tender_id,bidder_id,amount`` plus optional ``winner`` and ``label``.

Bad rows are reported as (line, field, reason) and skipped; the counts always add up
(received = accepted + rejected). A missing required column or an unreadable file is a ``UserError``.
A file may be plain or gzip-compressed (``.gz``), so the shipped markets are read the same way.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tenderwatch.errors import UserError

REQUIRED = ("tender_id", "bidder_id", "amount")
OPTIONAL = ("winner", "label")


@dataclass(frozen=True, slots=True)
class Bid:
    tender_id: str
    bidder_id: str
    amount: float
    winner: int | None
    label: int | None


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # the file line (header = line 1)
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.reason}"


@dataclass(slots=True)
class BidsFile:
    bids: list[Bid] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    received: int = 0

    @property
    def accepted(self) -> int:
        return len(self.bids)

    @property
    def rejected(self) -> int:
        return self.received - self.accepted

    @property
    def has_labels(self) -> bool:
        return bool(self.bids) and all(b.label is not None for b in self.bids)


def _open(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _flag(text: str) -> int:
    # Shipped data writes flags as 0/1 or 0.0/1.0; anything else is an error, not a silent 0.
    value = float(text)
    if value not in (0.0, 1.0):
        raise ValueError("must be 0 or 1 / 必须为 0 或 1")
    return int(value)


def _parse(row: dict[str, str], line: int, columns: set[str]) -> Bid | RowProblem:
    tender = (row.get("tender_id") or "").strip()
    bidder = (row.get("bidder_id") or "").strip()
    if not tender:
        return RowProblem(line, "tender_id", "empty / 为空")
    if not bidder:
        return RowProblem(line, "bidder_id", "empty / 为空")
    text = (row.get("amount") or "").strip()
    try:
        amount = float(text)
    except ValueError:
        return RowProblem(line, "amount", f"not a number: {text!r} / 不是数字")
    if not math.isfinite(amount) or amount <= 0:
        return RowProblem(line, "amount", f"must be a positive number: {text!r} / 必须为正数")
    flags: dict[str, int | None] = {}
    for name in OPTIONAL:
        raw = (row.get(name) or "").strip() if name in columns else ""
        if not raw:
            flags[name] = None
            continue
        try:
            flags[name] = _flag(raw)
        except ValueError:
            return RowProblem(line, name, f"must be 0 or 1: {raw!r} / 必须为 0 或 1")
    return Bid(tender, bidder, amount, flags["winner"], flags["label"])


def _rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for row in reader:
        yield reader.line_num, row


def read_bids(path: Path) -> BidsFile:
    """Read a bids CSV; raises ``UserError`` if the file or its header is unusable."""
    if not path.is_file():
        raise UserError(f"找不到报价文件：{path}", f"Bids file not found: {path}")
    result = BidsFile()
    try:
        with _open(path) as handle:
            reader = csv.DictReader(handle)
            columns = {c.strip() for c in reader.fieldnames or []}
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise UserError(
                    f"报价文件 {path} 缺少列：{', '.join(missing)}（需要 tender_id,bidder_id,amount）",
                    f"Bids file {path} lacks column(s): {', '.join(missing)} (needs tender_id,bidder_id,amount)",
                )
            reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
            for line, row in _rows(reader):
                result.received += 1
                parsed = _parse(row, line, columns)
                if isinstance(parsed, RowProblem):
                    result.problems.append(parsed)
                else:
                    result.bids.append(parsed)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(
            f"无法读取报价文件 {path}：{error}", f"Cannot read bids file {path}: {error}"
        ) from error
    return result


def write_bids(path: Path, bids: list[Bid]) -> None:
    """Write bids in the canonical form (gzip if the name ends in .gz), byte-stable for the same input."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([*REQUIRED, *OPTIONAL])
    for b in bids:
        winner = "" if b.winner is None else str(b.winner)
        label = "" if b.label is None else str(b.label)
        writer.writerow([b.tender_id, b.bidder_id, repr(b.amount), winner, label])
    data = text.getvalue().encode("utf-8")
    # mtime=0: the gzip header then holds no time, so the same bids always give the same bytes.
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)

"""What folding one chunk of lines yields, and how chunk results merge in input order.

Only small facts are kept: results already decided per process, per-currency bid ratios, and
per-organization tallies. Dicts keep first-seen order, so merging chunks in input order gives the
same output whatever the chunk size or number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (ocid, [(code, value)], [(tenderer id, code, value)], currencies in which R036 flags, or None)
Record = tuple[str, list[tuple[str, float | None]], list[tuple[str, str, float]], tuple[str, ...] | None]
# (ratio, winner ids, lowest non-winner ids) for each currency
Ratios = dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]]


@dataclass
class Partial:
    lines: int = 0
    processes: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    # First currency met by the ratio step or R036 (Cardinal's `get_or_insert_with`).
    first_currency: str | None = None
    currency_counts: dict[str, int] = field(default_factory=dict)
    ratios: list[tuple[str, Ratios]] = field(default_factory=list)
    # name -> id -> [numerator, denominator]; r025 (wins/processes), r038_* (disqualified/submitted)
    tallies: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # supplier id -> (processes, classification prefixes)
    r048: dict[str, tuple[list[int], set[str]]] = field(default_factory=dict)
    # Maps (--map): name -> ocid -> id or ids
    maps: dict[str, dict[str, object]] = field(default_factory=dict)
    # indicator -> processes in which it could be evaluated (coverage)
    applicable: dict[str, int] = field(default_factory=dict)

    def tally(self, name: str) -> dict[str, list[int]]:
        table = self.tallies.get(name)
        if table is None:
            table = self.tallies[name] = {}
        return table

    def map(self, name: str) -> dict[str, object]:
        table = self.maps.get(name)
        if table is None:
            table = self.maps[name] = {}
        return table

    def map_union(self, name: str, ocid: str, ids: dict[str, None]) -> None:
        """Add ids to an ocid's ordered set; a repeated ocid unions, within and across chunks alike."""
        table = self.map(name)
        existing = table.get(ocid)
        if isinstance(existing, dict):
            existing.update(ids)
        else:
            table[ocid] = dict(ids)

    def merge(self, other: Partial) -> None:
        """Append a later chunk."""
        self.lines += other.lines
        self.processes += other.processes
        self.invalid.extend(other.invalid)
        self.records.extend(other.records)
        if self.first_currency is None:
            self.first_currency = other.first_currency
        for currency, bids in other.currency_counts.items():
            self.currency_counts[currency] = self.currency_counts.get(currency, 0) + bids
        self.ratios.extend(other.ratios)
        for name, table in other.tallies.items():
            mine = self.tally(name)
            for key, (numerator, denominator) in table.items():
                fraction = mine.get(key)
                if fraction is None:
                    mine[key] = [numerator, denominator]
                else:
                    fraction[0] += numerator
                    fraction[1] += denominator
        for key, (processes, codes) in other.r048.items():
            entry = self.r048.get(key)
            if entry is None:
                self.r048[key] = (processes, codes)
            else:
                entry[0][0] += processes[0]
                entry[1].update(codes)
        for name, ocid_map in other.maps.items():
            mine_map = self.map(name)
            for ocid, value in ocid_map.items():
                existing = mine_map.get(ocid)
                if isinstance(existing, dict) and isinstance(value, dict):
                    existing.update(value)  # ordered sets as dicts: a repeated ocid unions
                else:
                    mine_map[ocid] = value
        for code, processes_count in other.applicable.items():
            self.applicable[code] = self.applicable.get(code, 0) + processes_count


class Out:
    """Results one process produces while it is folded (before any quartile is known)."""

    __slots__ = ("ocid", "r036", "tenderer")

    def __init__(self) -> None:
        self.ocid: list[tuple[str, float | None]] = []
        self.tenderer: list[tuple[str, str, float]] = []
        self.r036: tuple[str, ...] | None = None

    def flag(self, code: str, value: float | None = 1.0) -> None:
        self.ocid.append((code, value))

    def flag_tenderer(self, tenderer_id: str, code: str, value: float) -> None:
        self.tenderer.append((tenderer_id, code, value))

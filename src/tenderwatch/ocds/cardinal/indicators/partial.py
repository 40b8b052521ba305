"""What folding yields: ordered per-chunk results, and per-worker tallies.

Two kinds of state. Ordered parts (results already decided per process, per-currency bid ratios,
maps, invalid lines) come back with every chunk and are appended in input order. Tallies (per
organization counts, currency counts, coverage) are commutative sums, so each worker keeps one
set across all its chunks and hands it over once at the end: sending them per chunk made the
parent spend more time merging than the workers spent folding. Every tally entry carries the
position of the first process that created it, so the final key order is first-seen input order
whatever the scheduling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tenderwatch.ocds.cardinal.indicators.results import Results

# (ocid, [(code, value)], [(tenderer id, code, value)], currencies in which R036 flags, or None)
Record = tuple[
    str, list[tuple[str, float | None]], list[tuple[str, str, float]] | None, tuple[str, ...] | None
]
# (ratio, winner ids, lowest non-winner ids) for each currency
Ratios = dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]]


@dataclass
class Tallies:
    # name -> id -> [numerator, denominator, first-seen position]; r025 (wins/processes),
    # r038_* (disqualified/submitted bids)
    tallies: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # supplier id -> ([processes, first-seen position], classification prefixes)
    r048: dict[str, tuple[list[int], set[str]]] = field(default_factory=dict)
    currency_counts: dict[str, int] = field(default_factory=dict)
    # step -> processes in which it could be evaluated (coverage)
    applicable: dict[str, int] = field(default_factory=dict)
    # first-seen position for the next new id: ((chunk index × 2^24 + line offset) × 2^16) + n,
    # where n counts ids first seen within the process; steps bump it after each new entry
    stamp: int = 0

    def tally(self, name: str) -> dict[str, list[int]]:
        table = self.tallies.get(name)
        if table is None:
            table = self.tallies[name] = {}
        return table

    def add(self, name: str, key: str, numerator: int, denominator: int) -> None:
        table = self.tally(name)
        fraction = table.get(key)
        if fraction is None:
            table[key] = [numerator, denominator, self.stamp]
            self.stamp += 1
        else:
            fraction[0] += numerator
            fraction[1] += denominator

    def merge(self, other: Tallies) -> None:
        for name, table in other.tallies.items():
            mine = self.tally(name)
            for key, entry in table.items():
                fraction = mine.get(key)
                if fraction is None:
                    mine[key] = entry
                else:
                    fraction[0] += entry[0]
                    fraction[1] += entry[1]
                    fraction[2] = min(fraction[2], entry[2])
        for key, (counter, codes) in other.r048.items():
            found = self.r048.get(key)
            if found is None:
                self.r048[key] = (counter, codes)
            else:
                found[0][0] += counter[0]
                found[0][1] = min(found[0][1], counter[1])
                found[1].update(codes)
        for currency, bids in other.currency_counts.items():
            self.currency_counts[currency] = self.currency_counts.get(currency, 0) + bids
        for code, processes in other.applicable.items():
            self.applicable[code] = self.applicable.get(code, 0) + processes

    def in_input_order(self) -> None:
        """Order every table by first-seen position (merging workers interleaves them)."""
        for name, table in self.tallies.items():
            self.tallies[name] = dict(sorted(table.items(), key=lambda item: item[1][2]))
        self.r048 = dict(sorted(self.r048.items(), key=lambda item: item[1][0][1]))


@dataclass
class Partial:
    t: Tallies = field(default_factory=Tallies)
    lines: int = 0
    processes: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    # First currency met by the ratio step or R036 (Cardinal's `get_or_insert_with`).
    first_currency: str | None = None
    # (key, currency, ratio, winner ids, lowest other ids): flat, one per currency, to stay small
    ratios: list[tuple[str, str, float, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    # Maps (--map): name -> ocid -> id or ordered set of ids
    maps: dict[str, dict[str, object]] = field(default_factory=dict)
    # In the parent only: results built as chunks arrive (see collect.py)
    collected: Results | None = None

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

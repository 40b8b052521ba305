"""The province under construction: entities, bids and the constraints schemes put on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tenderwatch.synth.companies import Companies
from tenderwatch.synth.idgen import Int
from tenderwatch.synth.market import WORKS, Market
from tenderwatch.synth.people import Persons
from tenderwatch.synth.scales import Scale
from tenderwatch.synth.truth import Truth

Arr = np.ndarray[Any, Any]


@dataclass
class World:
    scale: Scale
    seed: int
    persons: Persons
    companies: Companies
    market: Market
    tenderers: Int
    agencies: Int
    expert_employers: Int
    weight: Arr  # activity of each company in the honest market (0 = only where a scheme puts it)
    participants: list[list[int]] = field(default_factory=list)
    truth: Truth = field(default_factory=Truth)
    # Constraints from schemes, keyed by (section, company).
    force_win: dict[int, int] = field(default_factory=dict)
    force_lose: set[tuple[int, int]] = field(default_factory=set)
    price_set: dict[tuple[int, int], int] = field(default_factory=dict)
    disqualify: dict[tuple[int, int], str] = field(default_factory=dict)
    tech_shift: dict[tuple[int, int], float] = field(default_factory=dict)  # whole-panel technical shift
    business_set: dict[tuple[int, int], float] = field(default_factory=dict)
    claimed: dict[int, set[int]] = field(default_factory=dict)  # section -> companies a scheme uses
    exclusive: set[int] = field(default_factory=set)  # sections whose outcome a scheme controls
    _order: Arr | None = None
    _cursor: dict[str, int] = field(default_factory=dict)
    # Bids, filled by flatten(): sorted by section; per-section slice start..start+size.
    bid: dict[str, Arr] = field(default_factory=dict)
    start: Arr = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    extra: dict[str, Any] = field(default_factory=dict)  # tables the later steps add (experts, staff…)

    def rng(self, step: str) -> np.random.Generator:
        """An independent, reproducible stream per step, so adding a step never shifts the others."""
        return np.random.default_rng([self.seed, sum(ord(c) * 31**i for i, c in enumerate(step)) % 2**32])

    def count(self, floor: int = 0) -> int:
        """Instances per scheme type at this scale."""
        return max(self.scale.scheme_min, floor, int(self.scale.scheme_rate * self.market.n_sections))

    def count_network(self) -> int:
        """Instances of a multi-section scheme: one at tiny scale, where sections are scarce."""
        return 1 if self.scale.name == "tiny" else self.count()

    def is_works(self, sec: int) -> bool:
        return str(self.market.s["industry"][sec]) in WORKS

    def find_section(
        self,
        key: str,
        need: int,
        *,
        exclusive: bool,
        works: bool | None = None,
        methods: tuple[str, ...] = (),
        exact: int | None = None,
    ) -> int | None:
        """A random section with `need` free bidders (and no scheme controlling its outcome).

        Exclusive users get a section no scheme has touched; attribute-only schemes may share a section
        with another scheme as long as they use other bidders (a tiny province has few sections).
        """
        if self._order is None:
            self._order = self.rng("section-order").permutation(self.market.n_sections)
        s = self.market.s
        n = len(self._order)
        for _ in range(2):
            cursor = self._cursor.get(key, 0)
            while cursor < n:
                sec = int(self._order[cursor])
                cursor += 1
                size = len(self.participants[sec])
                free = size - len(self.claimed.get(sec, ()))
                if sec in self.exclusive or free < need or (exclusive and sec in self.claimed):
                    continue
                if exact is not None and size != exact:
                    continue
                if works is not None and self.is_works(sec) != works:
                    continue
                if methods and str(s["method"][sec]) not in methods:
                    continue
                self._cursor[key] = cursor
                return sec
            self._cursor[key] = 0
            if exclusive:
                break
        return None

    def claim(self, sec: int, companies: list[int], exclusive: bool = False) -> None:
        self.claimed.setdefault(sec, set()).update(companies)
        if exclusive:
            self.exclusive.add(sec)

    def free_bidders(self, sec: int, k: int, rng: np.random.Generator) -> list[int]:
        pool = [c for c in self.participants[sec] if c not in self.claimed.get(sec, set())]
        picked = rng.choice(len(pool), k, replace=False)
        return [pool[int(i)] for i in picked]

    def insert(self, sec: int, company: int, rng: np.random.Generator) -> None:
        """Put `company` into a section, replacing an unclaimed bidder (or adding one if none is free)."""
        members = self.participants[sec]
        if company not in members:
            free = [i for i, c in enumerate(members) if c not in self.claimed.get(sec, set())]
            if free and len(members) >= 5:
                members[free[int(rng.integers(0, len(free)))]] = company
            else:
                members.append(company)
        self.claim(sec, [company])  # claimed at once, so the next insert cannot displace it

    def bid_of(self, sec: int, company: int) -> int:
        return int(self.start[sec]) + self.participants[sec].index(company)

    def flatten(self) -> None:
        sizes = np.array([len(p) for p in self.participants], dtype=np.int64)
        self.start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.bid["sec"] = np.repeat(np.arange(len(sizes)), sizes)
        self.bid["comp"] = np.array([c for p in self.participants for c in p], dtype=np.int64)
        self.bid["size"] = sizes

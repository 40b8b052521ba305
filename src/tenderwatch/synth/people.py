"""Natural persons: one registry that grows in batches (staff, officers, experts, brokers)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tenderwatch.synth import idgen, names
from tenderwatch.synth.idgen import Int, Str


@dataclass
class Persons:
    """All persons of the province. Index = row in persons.csv; arrays are rebuilt lazily after adds."""

    _ids: list[Str] = field(default_factory=list)
    _names: list[Str] = field(default_factory=list)
    _phones: list[Str] = field(default_factory=list)
    _regions: list[Str] = field(default_factory=list)
    _taken_ids: set[str] = field(default_factory=set)
    _taken_phones: set[str] = field(default_factory=set)
    _cache: tuple[Str, Str, Str, Str] | None = None
    count: int = 0

    def add(self, rng: np.random.Generator, regions: Str, min_age: int = 24, max_age: int = 60) -> Int:
        """Add persons born in `regions` (county codes), aged min_age..max_age in 2024; return indices."""
        n = len(regions)
        if n == 0:
            return np.empty(0, dtype=np.int64)
        born = idgen.days(idgen.date_of(0).replace(year=2024)) - rng.integers(min_age * 365, max_age * 365, n)
        ids = idgen.id_numbers(rng, regions, born.astype(np.int64), self._taken_ids)
        phones = idgen.mobiles(rng, n)
        # Mobiles must be unique across the whole registry, not only within a batch.
        for i, p in enumerate(phones):
            while str(p) in self._taken_phones:
                p = idgen.mobiles(rng, 1)[0]
                phones[i] = p
            self._taken_phones.add(str(p))
        self._ids.append(ids)
        self._names.append(names.person_names(rng, n))
        self._phones.append(phones)
        self._regions.append(regions.astype("<U6"))
        self._cache = None
        start = self.count
        self.count += n
        return np.arange(start, self.count, dtype=np.int64)

    def _arrays(self) -> tuple[Str, Str, Str, Str]:
        if self._cache is None:
            self._cache = (
                np.concatenate(self._ids),
                np.concatenate(self._names),
                np.concatenate(self._phones),
                np.concatenate(self._regions),
            )
        return self._cache

    @property
    def ids(self) -> Str:
        return self._arrays()[0]

    @property
    def names(self) -> Str:
        return self._arrays()[1]

    @property
    def phones(self) -> Str:
        return self._arrays()[2]

    @property
    def regions(self) -> Str:
        return self._arrays()[3]

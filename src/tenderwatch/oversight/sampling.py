"""The random re-verification sample (随机抽查复核) of closed 查否 cases.

Reproducible: the generator is seeded by the period and the inspector's jurisdiction, so drawing again for
the same period and jurisdiction picks the same cases, and anyone can recompute the draw from the case
numbers. ``RATE`` of the population, at least one case when there is any.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable

RATE = 0.10
MINIMUM = 1


def seed_of(period: str, jurisdiction: str) -> int:
    digest = hashlib.sha256(f"reverify|{period}|{jurisdiction}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def sample_size(population: int, rate: float = RATE, minimum: int = MINIMUM) -> int:
    if population == 0:
        return 0
    return min(population, max(minimum, math.ceil(rate * population)))


def draw(case_ids: Iterable[int], period: str, jurisdiction: str, rate: float = RATE) -> list[int]:
    """The sampled case ids, in ascending order; independent of the order the ids come in."""
    population = sorted(set(case_ids))
    rng = random.Random(seed_of(period, jurisdiction))
    return sorted(rng.sample(population, sample_size(len(population), rate)))

"""Who bids where, and at what price (the honest market)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tenderwatch.synth.idgen import Int
from tenderwatch.synth.market import Market

POOL_OF = {
    "building": "building",
    "other": "building",
    "transport": "transport",
    "water": "water",
    "procurement": "procurement",
}


def select_bidders(
    rng: np.random.Generator,
    market: Market,
    industry: np.ndarray[Any, Any],
    region: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
) -> list[list[int]]:
    """3–15 bidders per section: mostly firms of the same city, some from elsewhere in the province.

    `weight` is each company's activity (0 keeps a company out of the honest market: satellites,
    professional accompany bidders and other companies that only bid where a scheme puts them).
    """
    s = market.s
    n = market.n_sections
    sizes = (3 + rng.binomial(12, 0.42, n)).astype(np.int64)
    city = np.array([r[:4] for r in region])
    sec_pool = np.array([POOL_OF[str(i)] for i in s["industry"]])
    sec_city = np.array([r[:4] for r in s["region"]])
    slot_sec = np.repeat(np.arange(n), sizes)
    local = rng.random(len(slot_sec)) < 0.72
    comp = np.full(len(slot_sec), -1, dtype=np.int64)
    pools: dict[tuple[str, str], tuple[Int, np.ndarray[Any, Any]]] = {}

    def pool(ind: str, c: str) -> tuple[Int, np.ndarray[Any, Any]]:
        key = (ind, c)
        if key not in pools:
            mask = (industry == ind) & (weight > 0) & ((city == c) if c else True)
            members = np.flatnonzero(mask)
            if len(members) < 4 and c:
                return pool(ind, "")
            pools[key] = (members, np.cumsum(weight[members]) / weight[members].sum())
        return pools[key]

    def draw(slots: Int, use_city: np.ndarray[Any, Any]) -> None:
        keys = np.char.add(
            np.char.add(sec_pool[slot_sec[slots]], "|"), np.where(use_city, sec_city[slot_sec[slots]], "")
        )
        for key in np.unique(keys):
            ind, c = str(key).split("|")
            members, cdf = pool(ind, c)
            chosen = slots[keys == key]
            comp[chosen] = members[np.searchsorted(cdf, rng.random(len(chosen))).clip(0, len(members) - 1)]

    draw(np.arange(len(slot_sec)), local)
    for _ in range(30):  # redraw duplicates (a firm bids once per section) from the whole province
        order = np.lexsort((comp, slot_sec))
        dup = order[1:][(slot_sec[order[1:]] == slot_sec[order[:-1]]) & (comp[order[1:]] == comp[order[:-1]])]
        if len(dup) == 0:
            break
        draw(dup, np.zeros(len(dup), dtype=bool))
    out: list[list[int]] = [[] for _ in range(n)]
    seen: set[tuple[int, int]] = set()
    for sec, c in zip(slot_sec.tolist(), comp.tolist(), strict=True):
        if (sec, c) not in seen:
            seen.add((sec, c))
            out[sec].append(c)
    return out


def flatten(participants: list[list[int]]) -> tuple[Int, Int]:
    sizes = np.array([len(p) for p in participants], dtype=np.int64)
    sec = np.repeat(np.arange(len(participants)), sizes)
    comp = np.array([c for p in participants for c in p], dtype=np.int64)
    return sec, comp


def honest_prices(rng: np.random.Generator, control: Int, industry: np.ndarray[Any, Any]) -> Int:
    """Bids spread below the control price, mostly 88–97 %; goods are quoted in whole yuan."""
    ratio = 0.85 + 0.14 * rng.beta(2.6, 1.6, len(control))
    cents = (control * ratio).astype(np.int64)
    return np.where(industry == "procurement", cents // 100 * 100, cents)

"""Helpers shared by the scheme families: finding sections and bidders, moving a section's dates."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tenderwatch.synth.market import DAY
from tenderwatch.synth.state import World


def pairs(
    w: World,
    key: str,
    k: int,
    n: int,
    *,
    exclusive: bool = False,
    works: bool | None = None,
    methods: tuple[str, ...] = (),
    min_size: int = 0,
    exact: int | None = None,
) -> list[tuple[int, list[int]]]:
    """Up to n (section, k colluding bidders) picks, claimed (the section too if exclusive)."""
    rng = w.rng(f"pick-{key}")
    out: list[tuple[int, list[int]]] = []
    for _ in range(n):
        sec = w.find_section(
            key, max(k, min_size), exclusive=exclusive, works=works, methods=methods, exact=exact
        )
        if sec is None:
            break
        if exclusive:
            chosen = [
                w.participants[sec][int(i)] for i in rng.choice(len(w.participants[sec]), k, replace=False)
            ]
        else:
            chosen = w.free_bidders(sec, k, rng)
        w.claim(sec, chosen, exclusive)
        out.append((sec, chosen))
    return out


def honest_firms(w: World, industry: str | None = None) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
    ind = w.companies.arr("industry")
    if len(w.weight) < len(ind):  # companies added since: they are not part of the honest market
        w.weight = np.concatenate([w.weight, np.zeros(len(ind) - len(w.weight))])
    mask = w.weight > 0
    if industry is not None:
        mask &= ind == industry
    return np.flatnonzero(mask)


def shift_section(w: World, sec: int, days: int) -> None:
    """Move a section's whole timeline by whole days (times of day stay as they were)."""
    s = w.market.s
    for k in ("announce", "doc_start", "doc_end", "deadline"):
        s[k][sec] += days * DAY
    for k in ("cand_start", "cand_end", "award", "contract"):
        s[k][sec] += days


def bids_of(w: World, company: int) -> list[tuple[int, int]]:
    """(section, bid index) of every bid of a company, in deadline order (after flatten)."""
    idx = np.flatnonzero(w.bid["comp"] == company)
    order = np.argsort(w.market.s["deadline"][w.bid["sec"][idx]], kind="stable")
    return [(int(w.bid["sec"][i]), int(i)) for i in idx[order]]


def sections_of(w: World, company: int) -> list[int]:
    """Sections a company bids in (index built once, membership re-checked since inserts replace)."""
    index: dict[int, list[int]] | None = w.extra.get("sections_of")
    if index is None:
        index = {}
        for sec, members in enumerate(w.participants):
            for c in members:
                index.setdefault(c, []).append(sec)
        w.extra["sections_of"] = index
    return [sec for sec in index.get(company, []) if company in w.participants[sec]]


def sample_sections(
    w: World, rng: np.random.Generator, industry: str, k: int, ok: Callable[[int], bool]
) -> list[int]:
    """k random sections of an industry that pass `ok` (fewer if there are not enough)."""
    pools: dict[str, np.ndarray[tuple[int], np.dtype[np.int64]]] = w.extra.setdefault("industry_pools", {})
    if industry not in pools:
        pools[industry] = np.flatnonzero(w.market.s["industry"] == industry)
    out: list[int] = []
    for sec in rng.permutation(pools[industry]).tolist():
        if ok(sec):
            out.append(sec)
            if len(out) == k:
                break
    return out

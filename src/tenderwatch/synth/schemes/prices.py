"""Price and outcome schemes: progressions (C09), identical or clustered prices (C10), cover bids (C11),
abnormal low or no competition (C30), disqualification patterns (C32)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth.schemes.common import pairs
from tenderwatch.synth.state import World

PRICE_ONLY = ("lowest_price", "reasonable_low")


def structure(w: World) -> None:
    rng = w.rng("prices-schemes")
    s = w.market.s
    n = w.count()
    for i, (sec, group) in enumerate(
        pairs(w, "c09", 4 + (rng.random() < 0.4), n, exclusive=True, min_size=6)
    ):
        base = float(s["control"][sec]) * rng.uniform(0.87, 0.91)
        step = rng.uniform(0.006, 0.015)
        kind = "arithmetic" if i % 2 == 0 else "geometric"
        for k, comp in enumerate(group):
            factor = 1 + k * step if kind == "arithmetic" else (1 + step) ** k
            w.price_set[(sec, comp)] = int(base * factor)
        w.truth.scheme("C09", f"{kind}_progression", [sec], group, step=round(step, 4))
    for sec, group in pairs(w, "c10", 2, (n + 1) // 2, exclusive=True, min_size=4):
        price = int(float(s["control"][sec]) * rng.uniform(0.88, 0.95))
        w.price_set[(sec, group[0])] = w.price_set[(sec, group[1])] = price
        w.truth.scheme("C10", "identical_prices", [sec], group)
    # Price encirclement (价格围堵): the ring is the whole field and every bid sits within ±0.3 % of
    # one target, which honest fields spread over the 85–99 % band almost never do.
    # (not under the reasonable-low method, where bids aim at an average benchmark and cluster anyway)
    methods = ("comprehensive", "lowest_price", "separate")
    for sec, group in pairs(w, "c10b", 4, n // 2, exclusive=True, min_size=5, methods=methods):
        w.participants[sec] = list(group)
        center = float(s["control"][sec]) * rng.uniform(0.9, 0.96)
        for comp in group:
            w.price_set[(sec, comp)] = int(center * rng.uniform(0.997, 1.003))
        w.truth.scheme("C10", "clustered_prices", [sec], group, spread=0.006)
    _cover_bids(w, rng, n)
    for sec, (winner,) in pairs(w, "c30", 1, (n + 1) // 2, exclusive=True, min_size=4):
        w.price_set[(sec, winner)] = int(float(s["control"][sec]) * rng.uniform(0.55, 0.68))
        w.force_win[sec] = winner
        w.truth.scheme("C30", "abnormally_low_bid", [sec], [winner])
    for sec, group in pairs(w, "c30b", 3, n // 2, exclusive=True, min_size=3):
        w.participants[sec] = list(group)  # the three colluders are the only bidders
        for k, comp in enumerate(group):
            w.price_set[(sec, comp)] = int(float(s["control"][sec]) * (0.993 + 0.003 * k))
        w.force_win[sec] = group[0]
        w.truth.scheme("C30", "no_competition", [sec], group, also_matches=["C10"])
    for sec, _ in pairs(w, "c32", 1, (n + 1) // 2, exclusive=True, min_size=4):
        members = list(w.participants[sec])
        keep = members[int(rng.integers(0, len(members)))]
        for comp in members:
            if comp != keep:
                w.disqualify[(sec, comp)] = "资格审查资料不全"
        w.force_win[sec] = keep
        w.truth.scheme("C32", "all_but_one_disqualified", [sec], [keep])
    for sec, (lowest,) in pairs(w, "c32b", 1, n // 2, exclusive=True, min_size=4, methods=PRICE_ONLY):
        w.price_set[(sec, lowest)] = int(float(s["control"][sec]) * rng.uniform(0.8, 0.84))
        w.disqualify[(sec, lowest)] = "投标文件未按要求签章"
        w.truth.scheme("C32", "lowest_disqualified", [sec], [lowest])


def _building_section(w: World, key: str) -> int | None:
    """An untouched building-works section with at least four bidders (the pair's own market)."""
    sec = w.find_section(key, 4, exclusive=True)
    while sec is not None and str(w.market.s["industry"][sec]) != "building":
        sec = w.find_section(key, 4, exclusive=True)
    return sec


def _cover_bids(w: World, rng: np.random.Generator, n: int) -> None:
    """A pair that loses to each other by a hair, again and again (C11): in two building sections one
    firm wins and the other files a cover bid just above it (roles swap half the time)."""
    for _ in range(n):
        first, second = _building_section(w, "c11"), _building_section(w, "c11")
        if first is None or second is None:
            return
        winner, cover = (
            w.participants[first][int(i)] for i in rng.choice(len(w.participants[first]), 2, replace=False)
        )
        if winner in w.participants[second] or cover in w.participants[second]:
            continue
        members = w.participants[second]
        for slot, firm in zip(rng.choice(len(members), 2, replace=False), (winner, cover), strict=True):
            members[int(slot)] = firm
        for sec in (first, second):
            w.claim(sec, [winner, cover], exclusive=True)
        for k, sec in enumerate((first, second)):
            lead, trail = (winner, cover) if k == 0 or rng.random() < 0.5 else (cover, winner)
            # The designated winner undercuts the field (set_prices); the cover trails it by a hair.
            w.force_win[sec] = lead
            w.extra.setdefault("cover_bids", {})[sec] = (lead, trail, float(rng.uniform(0.0002, 0.0012)))
        w.truth.scheme("C11", "repeated_cover_bid", [first, second], [winner, cover])

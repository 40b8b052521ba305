"""Price and outcome schemes: progressions (C09), identical or clustered prices (C10), cover bids (C11),
abnormal low or no competition (C30), disqualification patterns (C32)."""

from __future__ import annotations

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
    for sec, group in pairs(w, "c10b", 3, n // 2, exclusive=True, min_size=5):
        center = float(s["control"][sec]) * rng.uniform(0.9, 0.96)
        for comp in group:
            w.price_set[(sec, comp)] = int(center * rng.uniform(0.998, 1.002))
        w.truth.scheme("C10", "clustered_prices", [sec], group, spread=0.004)
    for sec, (winner, cover) in pairs(w, "c11", 2, n, exclusive=True, min_size=4):
        price = int(float(s["control"][sec]) * rng.uniform(0.83, 0.845))
        w.price_set[(sec, winner)] = price
        w.price_set[(sec, cover)] = int(price * (1 + rng.uniform(0.0002, 0.0012)))
        w.force_win[sec] = winner
        w.truth.scheme("C11", "cover_bid", [sec], [winner, cover])
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

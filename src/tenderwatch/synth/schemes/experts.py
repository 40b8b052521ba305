"""Evaluation schemes: expert favouritism (C24), extreme spread (C25), winner technical outlier (C26),
expert employed by a bidder (C27).

The panel is redrawn on every evaluation pass (``generate._evaluate`` gives honest firms a win in later
passes), so the score plants run after every draw and the truth naming experts is recorded once, from
the final panel (``record_truth``).
"""

from __future__ import annotations

import numpy as np

from tenderwatch.synth.schemes.common import pairs
from tenderwatch.synth.state import Arr, World

SCORED = ("comprehensive", "separate")
TOP = 49.5  # highest technical score a plant writes (the technical part is worth 50)


def structure(w: World) -> None:
    n = w.count()
    rng = w.rng("expert-structure")
    quality = w.extra["quality"]
    plan: dict[str, list[tuple[int, list[int]]]] = {}
    # C24: the favoured bidder is an ordinary or weak firm (a strong one needs no favour); it wins.
    plan["c24"] = []
    for sec, _ in pairs(w, "c24", 1, n, exclusive=True, methods=SCORED, min_size=4):
        members = sorted(w.participants[sec], key=lambda c: (float(quality[c]), c))
        fav = members[int(rng.integers(0, (len(members) + 1) // 2))]
        w.claim(sec, [fav], exclusive=True)
        w.force_win[sec] = fav
        w.extra.setdefault("win_route", {})[sec] = "favour"
        plan["c24"].append((sec, [fav]))
    # C25: 天地分 is used against the strongest bidder: one expert scores it near zero.
    plan["c25"] = []
    for sec, _ in pairs(w, "c25", 1, n, exclusive=True, methods=SCORED, min_size=4):
        target = max(w.participants[sec], key=lambda c: (float(quality[c]), -c))
        w.claim(sec, [target], exclusive=True)
        plan["c25"].append((sec, [target]))
    # C26: a weak firm (bottom business score) wins on technical scores far above every rival's, from
    # every expert; ``rank`` keeps that route (the rivals' technical scores give way, not its business).
    plan["c26"] = pairs(w, "c26", 1, n, exclusive=True, methods=SCORED, min_size=4)
    for sec, (win,) in plan["c26"]:
        w.force_win[sec] = win
        w.business_set[(sec, win)] = 5.0
        w.extra.setdefault("win_route", {})[sec] = "technical"
        w.truth.scheme("C26", "winner_technical_outlier", [sec], [win])
    plan["c27"] = pairs(w, "c27", 1, n, methods=SCORED, min_size=3)
    w.extra["expert_plan"] = plan


def scores(w: World) -> None:
    """Runs after each panel draw (the same draws every pass); C27 experts are created once."""
    rng = w.rng("expert-schemes")
    plan = w.extra["expert_plan"]
    sc = w.extra["scores"]
    start = w.extra["expert_start"]
    k = w.market.s["experts"]
    planted: dict[str, dict[int, list[int]]] = {"c24": {}, "c25": {}}
    for sec, (fav,) in plan["c24"]:
        # One technical expert (not the owner's representative, the last seat) lifts the favoured bidder
        # 13–16 points above the rest of the panel and marks its rivals down a little.
        e = int(start[sec]) + int(rng.integers(0, int(k[sec]) - 1))
        fb = w.bid_of(sec, fav)
        rows = _rows(sc, sec)
        fav_rows = rows[sc["bid"][rows] == fb]
        own = fav_rows[sc["expert"][fav_rows] == e]
        others = fav_rows[sc["expert"][fav_rows] != e]
        lift = float(rng.uniform(13, 16))
        excess = float(np.median(sc["tech"][others])) + lift - TOP
        if excess > 0:  # no room under full marks: the rest of the panel rates it lower instead
            sc["tech"][others] = np.maximum(0.0, sc["tech"][others] - excess).round(2)
        sc["tech"][own] = round(float(np.median(sc["tech"][others])) + lift, 2)
        # Its rivals: never above the rest of the panel (at or below the others' mean and median).
        for bid in np.unique(sc["bid"][rows]):
            if bid == fb:
                continue
            b_rows = rows[sc["bid"][rows] == bid]
            mine, rest = b_rows[sc["expert"][b_rows] == e], sc["tech"][b_rows[sc["expert"][b_rows] != e]]
            cap = min(float(rest.mean()), float(np.median(rest))) - rng.uniform(0, 2.5)
            sc["tech"][mine] = np.maximum(0.0, np.minimum(sc["tech"][mine], cap)).round(2)
        planted["c24"][sec] = [e]
    for sec, (target,) in plan["c25"]:
        rows = _rows(sc, sec)
        rows = rows[sc["bid"][rows] == w.bid_of(sec, target)]
        if len(rows) < 3:
            continue
        # Heaven: the panel's top score for it, a little higher; earth: one expert scores it near zero.
        order = rows[np.argsort(sc["tech"][rows], kind="stable")]
        hi, lo = order[-1], order[0]
        sc["tech"][hi] = round(min(50.0, float(sc["tech"][hi]) + rng.uniform(1, 3)), 2)
        sc["tech"][lo] = round(float(rng.uniform(3, 10)), 2)
        planted["c25"][sec] = [int(sc["expert"][hi]), int(sc["expert"][lo])]
    for sec, (win,) in plan["c26"]:
        _c26(w, rng, sec, w.bid_of(sec, win))
    w.extra["expert_planted"] = planted
    if not w.extra.get("c27_done"):
        _c27(w, rng)
        w.extra["c27_done"] = True


def _c26(w: World, rng: np.random.Generator, sec: int, wb: int) -> None:
    """Every expert scores the winner far above all rivals: its panel mean ≥ the best rival's + 10 and
    ≥ the rivals' mean + 3 standard deviations (the rivals give way where full marks leave no room)."""
    sc = w.extra["scores"]
    rows = _rows(sc, sec)
    win_rows, rival_rows = rows[sc["bid"][rows] == wb], rows[sc["bid"][rows] != wb]
    if len(win_rows) == 0 or len(rival_rows) == 0:
        return
    rival_bids = np.unique(sc["bid"][rival_rows])
    means = np.array([sc["tech"][rival_rows[sc["bid"][rival_rows] == b]].mean() for b in rival_bids])
    sd = float(means.std(ddof=1)) if len(means) > 1 else 0.0
    target = max(float(means.max()) + rng.uniform(10, 13), float(means.mean()) + rng.uniform(3, 3.5) * sd)
    ceiling = TOP - 1.5
    if target > ceiling:
        sc["tech"][rival_rows] = np.maximum(0.0, sc["tech"][rival_rows] - (target - ceiling)).round(2)
        target = ceiling
    sc["tech"][win_rows] = np.minimum(50.0, target + rng.normal(0, 0.8, len(win_rows))).round(2)
    # Its credentials are the weakest of the field (5 points, or under the weakest rival's).
    floor = float(sc["business"][rival_rows].min()) - rng.uniform(0.3, 1.0)
    sc["business"][win_rows] = round(max(1.0, min(5.0, floor)), 1)


def _rows(sc: dict[str, Arr], sec: int) -> Arr:
    """The score rows of one section (rows are grouped by section, in section order)."""
    lo, hi = np.searchsorted(sc["sec"], [sec, sec + 1])
    return np.arange(int(lo), int(hi))


def record_truth(w: World) -> None:
    """C24 and C25 truth from the final panel (run once, after the last evaluation pass)."""
    ex = w.extra["experts"]
    planted = w.extra["expert_planted"]
    plan = w.extra["expert_plan"]
    for sec, (fav,) in plan["c24"]:
        persons = [int(ex["person"][e]) for e in planted["c24"][sec]]
        w.truth.scheme("C24", "expert_favouritism", [sec], [fav], persons)
    for sec, (target,) in plan["c25"]:
        if sec in planted["c25"]:
            persons = [int(ex["person"][e]) for e in planted["c25"][sec]]
            w.truth.scheme("C25", "extreme_score_spread", [sec], [target], persons)


def _c27(w: World, rng: np.random.Generator) -> None:
    """Swap one drawn expert for an engineer employed (and insured) by a bidder of the section."""
    start = w.extra["expert_start"]
    for sec, (firm,) in w.extra["expert_plan"]["c27"]:
        region = w.companies.arr("region")[[firm]]
        person = int(w.persons.add(rng, region, 35, 60)[0])
        w.extra["expert_pool"] = np.append(w.extra["expert_pool"], person)
        w.extra["expert_employer"] = np.append(w.extra["expert_employer"], firm)
        w.extra["expert_type"] = np.append(w.extra["expert_type"], "technical")
        w.extra.setdefault("c27_swaps", []).append((int(start[sec]) + 1, person))
        w.truth.scheme("C27", "expert_employed_by_bidder", [sec], [firm], [person])


def apply_swaps(w: World) -> None:
    """Re-apply the C27 swaps after each panel draw (the second pass redraws the panel)."""
    ex = w.extra["experts"]
    for row, person in w.extra.get("c27_swaps", []):
        ex["person"][row] = person


def record_redraws(w: World) -> None:
    """A planted expert joins the pool and may be drawn again where their employer bids: a real
    conflict too, recorded so it is scored as one (run once, after the final panel draw)."""
    ex = w.extra["experts"]
    # _c27 appended one swap per planned (section, firm), in plan order.
    home: dict[int, tuple[int, int]] = {
        person: (int(sec), int(firm))
        for (sec, (firm,)), (_, person) in zip(
            w.extra["expert_plan"]["c27"], w.extra.get("c27_swaps", []), strict=False
        )
    }
    for row in np.flatnonzero(np.isin(ex["person"], list(home))):
        sec, person = int(ex["sec"][row]), int(ex["person"][row])
        planned_sec, firm = home[person]
        if sec != planned_sec and firm in w.participants[sec]:
            w.truth.scheme("C27", "expert_employed_by_bidder", [sec], [firm], [person], via="redraw")

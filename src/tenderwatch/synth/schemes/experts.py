"""Evaluation schemes: expert favouritism (C24), extreme spread (C25), winner technical outlier (C26),
expert employed by a bidder (C27)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth.schemes.common import pairs
from tenderwatch.synth.state import World

SCORED = ("comprehensive", "separate")


def structure(w: World) -> None:
    n = w.count()
    plan: dict[str, list[tuple[int, list[int]]]] = {}
    plan["c24"] = pairs(w, "c24", 1, n, exclusive=True, methods=SCORED, min_size=4)
    for sec, (fav,) in plan["c24"]:
        w.force_win[sec] = fav
    plan["c25"] = pairs(w, "c25", 1, n, exclusive=True, methods=SCORED, min_size=4)
    plan["c26"] = pairs(w, "c26", 1, n, exclusive=True, methods=SCORED, min_size=4)
    for sec, (win,) in plan["c26"]:
        w.force_win[sec] = win
        w.tech_shift[(sec, win)] = 12.0
        w.business_set[(sec, win)] = 5.0
        w.truth.scheme("C26", "winner_technical_outlier", [sec], [win])
    plan["c27"] = pairs(w, "c27", 1, n, methods=SCORED, min_size=3)
    w.extra["expert_plan"] = plan


def scores(w: World) -> None:
    """Runs after each panel draw; truth is recorded on the final (second) pass only once."""
    rng = w.rng("expert-schemes")
    plan = w.extra["expert_plan"]
    sc, ex = w.extra["scores"], w.extra["experts"]
    record = not w.extra.get("expert_truth_done")
    start = w.extra["expert_start"]
    for sec, (fav,) in plan["c24"]:
        e = int(start[sec]) + int(rng.integers(0, 3))
        fb = w.bid_of(sec, fav)
        rows = np.flatnonzero(sc["expert"] == e)
        up = rows[sc["bid"][rows] == fb]
        down = rows[sc["bid"][rows] != fb]
        sc["tech"][up] = np.minimum(50.0, sc["tech"][up] + rng.uniform(12, 16))
        sc["tech"][down] = np.maximum(0.0, sc["tech"][down] - rng.uniform(2, 5, len(down))).round(2)
        if record:
            w.truth.scheme("C24", "expert_favouritism", [sec], [fav], [int(ex["person"][e])])
    for sec, (target,) in plan["c25"]:
        tb = w.bid_of(sec, target)
        rows = np.flatnonzero(sc["bid"] == tb)
        if len(rows) < 2:
            continue
        sc["tech"][rows[0]] = round(float(rng.uniform(47, 50)), 2)
        sc["tech"][rows[1]] = round(float(rng.uniform(5, 12)), 2)
        if record:
            persons = [int(ex["person"][sc["expert"][r]]) for r in rows[:2]]
            w.truth.scheme("C25", "extreme_score_spread", [sec], [target], persons)
    if record:
        _c27(w, rng)
    w.extra["expert_truth_done"] = True


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

"""Prices, disqualifications, the expert panel, per-expert scores, ranks and winners.

Scoring follows the common Zhejiang split for the comprehensive method: technical (subjective, 0–50,
one score per expert), business (objective credentials, 0–20, the same for every expert) and price
(formula, 0–30). Price-only methods score the price alone (0–100). Rank is by mean total; a scheme that
fixes the winner shifts that bidder's scores so the ranking stays consistent with the scores.
"""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import bids as bids_mod
from tenderwatch.synth import names
from tenderwatch.synth.state import Arr, World

PRICE_ONLY = ("lowest_price", "reasonable_low")


def set_prices(w: World) -> None:
    s, b = w.market.s, w.bid
    rng = w.rng("prices")
    price = bids_mod.honest_prices(rng, s["control"][b["sec"]], s["industry"][b["sec"]])
    for (sec, comp), cents in w.price_set.items():
        price[w.bid_of(sec, comp)] = cents
    # A designated winner without a planted price undercuts the field slightly (collusive winners do).
    for sec, comp in w.force_win.items():
        if (sec, comp) in w.price_set:
            continue
        lo, hi = int(w.start[sec]), int(w.start[sec] + b["size"][sec])
        others = np.delete(price[lo:hi], w.participants[sec].index(comp))
        price[w.bid_of(sec, comp)] = int(others.min() * rng.uniform(0.975, 0.995))
    # Cover bids (C11): the trailing firm prices a hair above the designated winner's final price.
    for sec, (lead, trail, gap) in w.extra.get("cover_bids", {}).items():
        price[w.bid_of(sec, trail)] = int(price[w.bid_of(sec, lead)] * (1 + gap))
    b["price"] = price


def disqualify(w: World) -> None:
    """A few honest disqualifications: one per section at most, never the lowest price, ≥5 bidders."""
    b, rng = w.bid, w.rng("disqualify")
    n = len(b["sec"])
    disq = np.zeros(n, dtype=bool)
    reason = np.full(n, "", dtype=object)
    sizes = b["size"]
    cand = np.flatnonzero((sizes >= 5) & (rng.random(len(sizes)) < 0.25))
    for sec in cand.tolist():
        if sec in w.exclusive or sec in w.claimed:
            continue
        lo, hi = int(w.start[sec]), int(w.start[sec] + sizes[sec])
        pick = lo + int(rng.integers(0, hi - lo))
        if b["price"][pick] == b["price"][lo:hi].min():
            continue
        disq[pick] = True
        reason[pick] = names.DISQUALIFY_REASONS[int(rng.integers(0, len(names.DISQUALIFY_REASONS)))]
    for (sec, comp), why in w.disqualify.items():
        i = w.bid_of(sec, comp)
        disq[i] = True
        reason[i] = why
    b["disq"], b["reason"] = disq, reason


def panel(w: World) -> None:
    """Draw the experts of each section and score every qualified bid."""
    s, b, rng = w.market.s, w.bid, w.rng("panel")
    pool, pool_type = w.extra["expert_pool"], w.extra["expert_type"]
    n_sec = w.market.n_sections
    k = s["experts"]
    rows_sec = np.repeat(np.arange(n_sec), k)
    person = np.empty(len(rows_sec), dtype=np.int64)
    etype = np.empty(len(rows_sec), dtype=object)
    pos = 0
    owner_rep = w.extra["owner_rep"]
    for sec in range(n_sec):
        m = int(k[sec])
        picks = (
            rng.choice(len(pool), m - 1, replace=False)
            if len(pool) < 64
            else _distinct(rng, len(pool), m - 1)
        )
        person[pos : pos + m - 1] = pool[picks]
        etype[pos : pos + m - 1] = pool_type[picks]
        person[pos + m - 1] = owner_rep[int(s["tenderer_of"][sec])]
        etype[pos + m - 1] = "owner_rep"
        pos += m
    chair = np.zeros(len(rows_sec), dtype=bool)
    chair[np.concatenate([[0], np.cumsum(k)[:-1]])] = True
    checkin = s["deadline"][rows_sec] - rng.integers(20, 55, len(rows_sec)) * 60
    w.extra["experts"] = {
        "sec": rows_sec,
        "person": person,
        "type": etype,
        "chair": chair,
        "checkin": checkin,
    }
    w.extra["expert_start"] = np.concatenate([[0], np.cumsum(k)[:-1]]).astype(np.int64)
    # Scores: one row per expert × qualified bid of the section.
    qualified = np.flatnonzero(~b["disq"])
    q_sec = b["sec"][qualified]
    q_count = np.bincount(q_sec, minlength=n_sec)
    q_start = np.concatenate([[0], np.cumsum(q_count)[:-1]])
    per = q_count * k
    row_sec = np.repeat(np.arange(n_sec), per)
    within = np.arange(int(per.sum())) - np.repeat(np.concatenate([[0], np.cumsum(per)[:-1]]), per)
    expert_row = w.extra["expert_start"][row_sec] + within // q_count[row_sec]
    bid = qualified[q_start[row_sec] + within % q_count[row_sec]]
    price_only = np.isin(s["method"], PRICE_ONLY)
    min_price = np.full(n_sec, np.inf)
    np.minimum.at(min_price, q_sec, b["price"][qualified].astype(np.float64))
    ratio = min_price[b["sec"]] / b["price"]
    comp = b["comp"]
    quality = w.extra["quality"][comp]  # a firm's standing: better firms write better technical bids
    tech_base = np.clip(31 + 9 * quality + rng.normal(0, 3, len(comp)), 12, 47)
    business_base = np.round(np.clip(12 + 5 * quality + rng.normal(0, 2, len(comp)), 4, 20), 1)
    for key, shift in w.tech_shift.items():
        tech_base[w.bid_of(*key)] += shift
    for key, value in w.business_set.items():
        business_base[w.bid_of(*key)] = value
    bias = rng.normal(0, 1.5, len(person))
    tech = np.clip(tech_base[bid] + bias[expert_row] + rng.normal(0, 2.2, len(bid)), 0, 50)
    po = price_only[row_sec]
    w.extra["scores"] = {
        "sec": row_sec,
        "expert": expert_row,
        "bid": bid,
        "tech": np.where(po, 0.0, np.round(tech, 2)),
        "business": np.where(po, 0.0, business_base[bid]),
        "price": np.round(np.where(po, 100.0, 30.0) * ratio[bid], 2),
    }


def _distinct(rng: np.random.Generator, n: int, k: int) -> Arr:
    while True:
        picks = rng.integers(0, n, k)
        if len(np.unique(picks)) == k:
            return picks


def _means(sc: dict[str, Arr], n: int) -> Arr:
    sc["total"] = np.round(sc["tech"] + sc["business"] + sc["price"], 2)
    sums = np.bincount(sc["bid"], weights=sc["total"], minlength=n)
    cnt = np.bincount(sc["bid"], minlength=n)
    out: Arr = np.where(cnt > 0, sums / np.maximum(cnt, 1), -1e9)
    return out


def rank(w: World) -> None:
    """Rank qualified bids by mean total; forced winners and losers are honoured."""
    b, sc = w.bid, w.extra["scores"]
    n = len(b["sec"])
    mean = _means(sc, n)
    # Keep scores consistent with a fixed outcome. A designated winner that trails wins the realistic
    # way: first a higher objective (business) score for this section, then a technical lead the same
    # from every expert; with its credentials on top it does not look like 明招暗定 by accident.
    # Routes planted by the expert schemes (``win_route``): "technical" (C26) keeps its weak business
    # score and the rivals' technical scores give way; "favour" (C24) gets the business lift, then the
    # rivals give way, so the one favouring expert's lift is never clipped at full marks.
    # A designated loser is pushed just below the leader (technical scores are the subjective lever).
    rng = w.rng("rank")
    scored = ~np.isin(w.market.s["method"], PRICE_ONLY)
    route: dict[int, str] = w.extra.get("win_route", {})
    business = np.zeros(n)
    np.maximum.at(business, sc["bid"], sc["business"])
    shift, biz_add = np.zeros(n), np.zeros(n)
    for sec, comp in w.force_win.items():
        i = w.bid_of(sec, comp)
        lo, hi = int(w.start[sec]), int(w.start[sec] + b["size"][sec])
        rival = max((mean[j] for j in range(lo, hi) if j != i), default=-1e9)
        if mean[i] > rival or not scored[sec]:
            continue
        need = rival - mean[i] + rng.uniform(0.3, 2.0)
        if route.get(sec) != "technical":
            biz_add[i] = min(need, 20.0 - business[i])
            need -= biz_add[i]
        if need <= 0:
            continue
        if route.get(sec) == "favour":  # lift it from every expert while the favouring one has room
            top = sc["tech"][sc["bid"] == i].max(initial=0.0)
            up = min(need, max(0.0, 49.5 - float(top)))
            shift[i] += up
            need -= up
        if route.get(sec) in ("technical", "favour"):
            shift[lo:hi] -= need
            shift[i] += need
        else:
            shift[i] += need
    for sec, comp in w.force_lose:
        i = w.bid_of(sec, comp)
        lo, hi = int(w.start[sec]), int(w.start[sec] + b["size"][sec])
        best = max((mean[j] for j in range(lo, hi) if j != i), default=-1e9)
        if mean[i] >= best:
            shift[i] = best - mean[i] - rng.uniform(0.3, 2.0)
    if shift.any() or biz_add.any():
        rows = scored[sc["sec"]]
        sc["tech"] = np.where(rows, np.round(np.clip(sc["tech"] + shift[sc["bid"]], 0, 50), 2), 0.0)
        sc["business"] = np.where(
            rows, np.round(np.minimum(sc["business"] + biz_add[sc["bid"]], 20.0), 1), sc["business"]
        )
        mean = _means(sc, n)
    key = mean.copy()
    for sec, comp in w.force_win.items():
        key[w.bid_of(sec, comp)] += 1e6
    for sec, comp in w.force_lose:
        key[w.bid_of(sec, comp)] -= 1e3
    key[b["disq"]] = -1e12
    order = np.lexsort((-key, b["sec"]))
    rank_ = np.empty(n, dtype=np.int64)
    rank_[order] = np.arange(n) - w.start[b["sec"][order]] + 1
    rank_[b["disq"]] = 0
    b["rank"] = rank_
    winner = np.full(w.market.n_sections, -1, dtype=np.int64)
    top = np.flatnonzero(rank_ == 1)
    winner[b["sec"][top]] = top
    w.extra["winner"] = winner

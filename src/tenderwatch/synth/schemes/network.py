"""Cross-section schemes: related bidders (C14), rotation groups (C15), accompany bidders (C16),
bid kings (C17), brokers' competing clients (C18), threshold splitting (C29), short procedures (C31)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth.market import DAY
from tenderwatch.synth.schemes.common import honest_firms, sample_sections, sections_of, shift_section
from tenderwatch.synth.state import World


def make_companies(w: World) -> None:
    """Satellite firms (same legal rep or ≥50 % owned), accompany specialists, brokers' consultancies."""
    rng = w.rng("scheme-companies")
    c = w.companies
    n = w.count()
    region, industry = c.arr("region"), c.arr("industry")
    parents = rng.choice(honest_firms(w, "building"), n, replace=False)
    same_rep = rng.random(n) < 0.5
    sat = []
    for p, rep in zip(parents.tolist(), same_rep.tolist(), strict=True):
        legal = np.array([c.arr("legal_rep")[p]]) if rep else None
        s = int(c.add(rng, w.persons, "contractor", "building", region[[p]], legal_reps=legal)[0])
        if not rep:
            pct = float(np.round(rng.uniform(51, 80), 2))
            c.set_share(s, pct)
            c.add_company_holder(s, p, pct)
        sat.append((p, s, "same_legal_rep" if rep else "controlling_shareholder"))
    w.extra["c14"] = sat
    accompany = c.add(
        rng, w.persons, "contractor", "building", np.array(region[parents[: w.count_network()]])
    )
    w.extra["c16"] = accompany.tolist()
    w.extra["planted_losers"] = set(accompany.tolist())
    w.weight = np.concatenate([w.weight, np.zeros(c.count - len(w.weight))])
    w.extra["quality"] = np.concatenate([w.extra["quality"], np.zeros(c.count - len(w.extra["quality"]))])
    _ = industry


def structure(w: World) -> None:
    rng = w.rng("network")
    _c14(w, rng)
    _c15(w, rng)
    _c16(w, rng)
    _c17(w, rng)
    _c29(w, rng)
    _c31(w, rng)


def _c14(w: World, rng: np.random.Generator) -> None:
    for parent, sat, how in w.extra["c14"]:
        options = [
            s for s in sections_of(w, parent) if s not in w.exclusive and parent not in w.claimed.get(s, ())
        ]
        if not options:
            continue
        sec = options[int(rng.integers(0, len(options)))]
        w.claim(sec, [parent])
        w.insert(sec, sat, rng)
        w.claim(sec, [sat])
        w.truth.scheme("C14", how, [sec], [parent, sat], [int(w.companies.arr("legal_rep")[parent])])


def _fresh(w: World, rng: np.random.Generator, industry: str, k: int, min_size: int = 4) -> list[int]:
    """k sections of an industry no scheme has touched yet."""
    return sample_sections(
        w, rng, industry, k, lambda i: i not in w.claimed and len(w.participants[i]) >= min_size
    )


def _c15(w: World, rng: np.random.Generator) -> None:
    """A fixed group of 3 firms bids together in many sections and wins them in turn."""
    n_sections = 5 if w.scale.name == "tiny" else 8
    for g in range(w.count_network()):
        industry = "building" if g % 3 else "transport"
        pool = honest_firms(w, industry)
        members = [int(x) for x in rng.choice(pool, 3, replace=False)]
        chosen = _fresh(w, rng, industry, n_sections)
        if len(chosen) < n_sections:
            continue
        chosen.sort(key=lambda s: int(w.market.s["deadline"][s]))
        for k, sec in enumerate(chosen):
            for m in members:
                w.insert(sec, m, rng)
            w.claim(sec, members, exclusive=True)
            w.force_win[sec] = members[k % 3]
        w.truth.scheme(
            "C15", "rotation_group", chosen, members, winners=[members[k % 3] for k in range(len(chosen))]
        )


def _c16(w: World, rng: np.random.Generator) -> None:
    """Professional accompany bidders: many bids, never a win (they bid to make up the numbers)."""
    n_bids = 6 if w.scale.name == "tiny" else 9
    for firm in w.extra["c16"]:
        chosen = _fresh(w, rng, "building", n_bids, min_size=3)
        if len(chosen) < n_bids:
            continue
        for sec in chosen:
            w.insert(sec, firm, rng)
            w.claim(sec, [firm])
            w.force_lose.add((sec, firm))
        w.truth.scheme("C16", "accompany_bidder", chosen, [firm])


def _c17(w: World, rng: np.random.Generator) -> None:
    """Bid king: one firm wins 4–5 sections of the same tenderer."""
    s = w.market.s
    tenderer = s["tenderer_of"]
    wins = 4 if w.scale.name == "tiny" else 5
    used: set[int] = set()
    building = s["industry"] == "building"
    for _ in range(w.count_network()):
        free = building.copy()
        free[list(w.claimed)] = False
        counts = np.bincount(tenderer[free], minlength=int(tenderer.max()) + 1)
        counts[list(used)] = 0
        t = int(np.argmax(counts))
        if counts[t] < wins:
            break
        used.add(t)
        secs = [int(i) for i in np.flatnonzero(free & (tenderer == t))][:wins]
        # A bid king owes its wins to this one tenderer: take it from the quieter half of the market,
        # so it is not also a strong firm (or another scheme's designated winner) everywhere else.
        pool = honest_firms(w, "building")
        activity = np.bincount(
            np.concatenate([np.asarray(m, dtype=np.int64) for m in w.participants]),
            minlength=int(pool.max()) + 1,
        )[pool]
        quiet = pool[activity <= np.median(activity)]
        king = int(rng.choice(quiet if len(quiet) else pool))
        for sec in secs:
            w.insert(sec, king, rng)
            w.claim(sec, [king], exclusive=True)
            w.force_win[sec] = king
        w.truth.scheme("C17", "bid_king_tenderer", secs, [king], tenderer=str(w.companies.arr("uscc")[t]))


def _c29(w: World, rng: np.random.Generator) -> None:
    """One tenderer splits a works project into 3–4 tenders, each just below the ¥4M threshold."""
    s, p = w.market.s, w.market.p
    # A project already split by an earlier scheme is off limits: re-splitting it would rewrite its
    # tenderer and investment code, and the earlier scheme's truth would no longer match the data.
    used_projects: set[int] = set()
    for _ in range(w.count_network()):
        k = int(rng.integers(3, 5))
        secs = []
        for _j in range(k):
            sec = w.find_section("c29", 3, exclusive=True, works=True)
            # bidders were drawn per industry, so a split stays in building works
            while sec is not None and (
                s["industry"][sec] != "building" or int(s["project"][sec]) in used_projects
            ):
                sec = w.find_section("c29", 3, exclusive=True, works=True)
            if sec is None:
                return
            w.claim(sec, [], exclusive=True)
            secs.append(sec)
        first = secs[0]
        used_projects.update(int(s["project"][sec]) for sec in secs)
        for j, sec in enumerate(secs):
            proj = int(s["project"][sec])
            s["control"][sec] = int(rng.uniform(3.6e6, 3.98e6)) * 100 // 10000 * 10000
            s["estimate"][sec] = -1
            s["bond"][sec] = s["control"][sec] * 2 // 100 // 100_000 * 100_000
            s["procedure"][sec] = "invited" if j % 2 else "negotiation"
            shift_section(w, sec, int(s["announce"][first] // DAY - s["announce"][sec] // DAY) + j * 3)
            s["tenderer_of"][sec] = p["tenderer"][proj] = p["tenderer"][s["project"][first]]
            p["invest_code"][proj] = p["invest_code"][s["project"][first]]
            p["region"][proj] = s["region"][sec] = s["region"][first]
        w.truth.scheme(
            "C29",
            "threshold_split",
            secs,
            [int(p["tenderer"][s["project"][first]])],
            threshold=4_000_000,
            investment_code=str(p["invest_code"][s["project"][first]]),
        )


def _c31(w: World, rng: np.random.Generator) -> None:
    s = w.market.s
    variants = ("short_bid_period", "short_doc_sale", "short_publicity")
    for i in range(w.count()):
        sec = w.find_section("c31", 3, exclusive=True, works=True)
        if sec is None:
            return
        w.claim(sec, [], exclusive=True)
        kind = variants[i % 3]
        if kind == "short_bid_period":
            days = int(rng.integers(7, 16))
            s["deadline"][sec] = (s["announce"][sec] // DAY + days) * DAY + 9 * 3600
            s["doc_end"][sec] = min(int(s["doc_end"][sec]), int(s["deadline"][sec]) - DAY)
            s["doc_start"][sec] = min(int(s["doc_start"][sec]), int(s["doc_end"][sec]) - DAY)

        elif kind == "short_doc_sale":
            days = int(rng.integers(2, 4))
            s["doc_end"][sec] = s["doc_start"][sec] + days * DAY

        else:
            s["cand_end"][sec] = s["cand_start"][sec] + 1
            days = 1
        dl = s["deadline"][sec] // DAY
        s["cand_start"][sec] = (
            max(int(s["cand_start"][sec]), int(dl) + 1) if kind != "short_publicity" else s["cand_start"][sec]
        )
        w.truth.scheme("C31", kind, [sec], [int(s["tenderer_of"][sec])], days=days)

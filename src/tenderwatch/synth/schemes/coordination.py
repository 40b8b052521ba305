"""Schemes spanning sections through one pair or one person: bond payments minutes apart over ≥3
sections (C05), the broker acting for several firms (C18), and blacklisted firms bidding (C33)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import credit, idgen, registry_data
from tenderwatch.synth.market import DAY
from tenderwatch.synth.schemes.common import bids_of, honest_firms, sample_sections
from tenderwatch.synth.state import World
from tenderwatch.synth.writer import patch


def _open_sections(w: World, industry: str, k: int, rng: np.random.Generator) -> list[int]:
    s = w.market.s
    secs = sample_sections(
        w,
        rng,
        industry,
        k,
        lambda i: (
            i not in w.exclusive
            and s["bond"][i] > 0
            and len(w.participants[i]) - len(w.claimed.get(i, ())) >= 3
        ),
    )
    return secs if len(secs) == k else []


def structure(w: World) -> None:
    rng = w.rng("coordination")
    pairs_ = []
    for _ in range(w.count_network()):
        a, c = (int(x) for x in rng.choice(honest_firms(w, "building"), 2, replace=False))
        secs = _open_sections(w, "building", 3, rng)
        for sec in secs:
            w.insert(sec, a, rng)
            w.insert(sec, c, rng)
            w.claim(sec, [a, c])
        if secs:
            pairs_.append((a, c, secs))
    w.extra["c05_pairs"] = pairs_
    brokers = []
    for _ in range(w.count_network()):
        clients = [int(x) for x in rng.choice(honest_firms(w, "building"), 4, replace=False)]
        secs = _open_sections(w, "building", 2, rng)
        for k, sec in enumerate(secs):
            pair = [clients[k % 4], clients[(k + 1) % 4]]
            for c in pair:
                w.insert(sec, c, rng)
            w.claim(sec, pair)
        if secs:
            brokers.append((clients, secs))
    w.extra["c18_plan"] = brokers


def plant(w: World) -> None:
    """The broker operates the competing clients' bids, applies for their guarantees, holds their CAs."""
    rng = w.rng("broker")
    pe = w.persons
    consult = w.companies.add(rng, pe, "agency", "", w.companies.arr("region")[[0]], suffix_kind="agency")
    w.weight = np.concatenate([w.weight, np.zeros(w.companies.count - len(w.weight))])
    planted: list[tuple[int, set[int]]] = []
    for clients, secs in w.extra["c18_plan"]:
        broker = int(pe.add(rng, w.companies.arr("region")[clients[:1]], 30, 55)[0])
        registry_data.add_si(w, broker, int(consult[0]), 0, 36)  # insured by a consultancy, not a client
        acted: list[int] = []
        for sec in secs:
            for c in clients:
                if c in w.participants[sec]:
                    bid = w.bid_of(sec, c)
                    for col, val in (
                        ("operator_name", pe.names[broker]),
                        ("operator_id", pe.ids[broker]),
                        ("operator_phone", pe.phones[broker]),
                    ):
                        patch(w, "bids", col, bid, str(val))
                    w.bid["pay"][bid] = "guarantee"
                    for col, val in (
                        ("applicant_name", pe.names[broker]),
                        ("applicant_id", pe.ids[broker]),
                        ("applicant_phone", pe.phones[broker]),
                    ):
                        patch(w, "bid_guarantees", col, bid, str(val))
                    acted.append(c)
        ca = w.extra["ca"]
        hit = np.isin(ca["company"], clients)
        ca["handler"][hit] = broker
        w.truth.scheme("C18", "broker", secs, sorted(set(clients)), [broker], also_matches=["C06", "C05"])
        planted.append((broker, set(secs)))
    w.extra["ca"]["handler"] = w.extra["ca"]["handler"].astype(np.int64)
    # A broker holds his clients' CA certificates, so wherever two of them meet by chance the same
    # handler stands behind both bids: a real C06 signal, recorded so it is scored as one. Taken from
    # the final handlers, since two brokers may have picked the same client and the later one won.
    ca = w.extra["ca"]
    for broker, planned_secs in planted:
        held = set(ca["company"][ca["handler"] == broker].tolist())
        for sec, members in enumerate(w.participants):
            present = sorted(held.intersection(members))
            if sec not in planned_secs and len(present) >= 2:
                w.truth.scheme("C06", "broker_ca_handler", [sec], present, [broker])


def plant_credit(w: World) -> None:
    """Firms on an active blacklist keep bidding (the credit gate should have stopped them)."""
    rng = w.rng("blacklisted")
    taken = {c for e in w.truth.schemes for c in e.companies}
    candidates = [c for c in honest_firms(w) if c not in taken]
    rng.shuffle(candidates)
    made = 0
    for c in candidates:
        history = bids_of(w, int(c))
        if len(history) < 3 or made >= w.count():
            continue
        start_day = int(w.market.s["deadline"][history[1][0]]) // DAY - int(rng.integers(20, 90))
        end_day = start_day + 730
        hit = [sec for sec, _ in history if start_day <= int(w.market.s["deadline"][sec]) // DAY <= end_day]
        credit.credit_record(w, int(c), "bad", "围标串标", start_day - 10)
        credit.blacklist_entry(w, int(c), start_day, end_day, "围标串标，情节严重")
        w.truth.scheme(
            "C33", "blacklisted_bidder", hit, [int(c)], blacklisted_from=str(idgen.date_of(start_day))
        )
        made += 1

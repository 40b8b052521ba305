"""Benign look-alikes: honest situations that produce a scheme's raw signal.

A detector that fires on these without the corroboration the guidance asks for (different machines,
template subtraction, direct vs indirect control, n ≥ 4 …) is imprecise; truth.json lists them so the
scorer can count such hits as false positives by kind.
"""

from __future__ import annotations

import numpy as np

from tenderwatch.common.regions import counties
from tenderwatch.synth import registry_data
from tenderwatch.synth.market import pick_counties
from tenderwatch.synth.schemes.common import honest_firms, sections_of
from tenderwatch.synth.state import World
from tenderwatch.synth.writer import patch


def companies(w: World) -> None:
    """A corporate group, a state-owned pair under one SASAC, and a city's few water specialists."""
    rng = w.rng("lookalike-companies")
    c, n = w.companies, w.scale.lookalike_min
    groups = []
    for _ in range(n):
        members = [int(rng.choice(honest_firms(w, ind))) for ind in ("building", "water", "procurement")]
        holding = int(c.add(rng, w.persons, "", "", c.arr("region")[members[:1]], suffix_kind="holding")[0])
        for m in members:
            pct = float(np.round(rng.uniform(55, 80), 2))
            c.set_share(m, pct)
            c.add_company_holder(m, holding, pct)
        groups.append((holding, members))
    w.extra["la_groups"] = groups
    soe = []
    for _ in range(n):
        region = pick_counties(rng, 1)
        sasac = int(c.add(rng, w.persons, "owner", "", region, prefix="11", listed=False)[0])
        parents = c.add(rng, w.persons, "owner", "", np.repeat(region, 2), suffix_kind="owner")
        subs = [int(x) for x in rng.choice(honest_firms(w, "building"), 2, replace=False)]
        for parent, sub in zip(parents.tolist(), subs, strict=True):
            c.add_company_holder(int(parent), sasac, 100.0)
            c.set_share(sub, 100.0)
            c.add_company_holder(sub, int(parent), 100.0)
        soe.append((sasac, [int(x) for x in parents], subs))
    w.extra["la_soe"] = soe
    # Lishui: mountain rivers and a handful of specialist water firms that meet in every tender.
    regions = np.array([r.code for r in counties("331100")][:5])
    w.extra["la_water"] = c.add(rng, w.persons, "contractor", "water", regions).tolist()
    w.weight = np.concatenate([w.weight, np.zeros(c.count - len(w.weight))])
    w.extra["quality"] = np.concatenate(
        [w.extra["quality"], rng.normal(0, 0.5, c.count - len(w.extra["quality"]))]
    )


def structure(w: World) -> None:
    rng = w.rng("lookalike-structure")
    s = w.market.s
    for _ in range(w.scale.lookalike_min):
        sec = w.find_section("la-round", 3, exclusive=True)
        if sec is None:
            break
        w.participants[sec] = w.participants[sec][:3]  # only three bidders turned up
        w.claim(sec, list(w.participants[sec]), exclusive=True)
        for comp, rate in zip(w.participants[sec], (0.95, 0.96, 0.97), strict=True):
            w.price_set[(sec, comp)] = int(s["control"][sec]) * int(rate * 100) // 100
        w.truth.lookalike(
            "round_discount_prices", ["C09"], [sec], list(w.participants[sec]), rates=[0.95, 0.96, 0.97]
        )
    for sasac, _parents, subs in w.extra["la_soe"]:
        options = [i for i in sections_of(w, subs[0]) if i not in w.exclusive]
        if not options:
            continue
        sec = options[int(rng.integers(0, len(options)))]
        w.insert(sec, subs[0], rng)
        w.insert(sec, subs[1], rng)
        w.truth.lookalike(
            "state_owned_group", ["C14"], [sec], subs, common_owner=str(w.companies.arr("uscc")[sasac])
        )
    firms = w.extra["la_water"]
    water = [i for i in range(w.market.n_sections) if s["industry"][i] == "water" and i not in w.claimed]
    local = [i for i in water if str(s["region"][i]).startswith("3311")]
    water = local if len(local) >= 3 else (local + [i for i in water if i not in local])[:3]
    for sec in water:
        k = int(rng.integers(3, 6))
        w.participants[sec] = [int(x) for x in rng.choice(firms, k, replace=False)]
        w.claim(sec, list(w.participants[sec]), exclusive=True)
    if water:
        w.truth.lookalike("water_specialist_market", ["C15", "C16"], water, firms, city="331100")
    for holding, members in w.extra["la_groups"]:
        w.truth.lookalike(
            "corporate_group", ["C14"], [], [holding, *members], note="members never meet in a section"
        )


def plant(w: World) -> None:
    rng = w.rng("lookalikes")
    b, s = w.bid, w.market.s
    n = w.scale.lookalike_min
    agency = w.market.p["agency"][s["project"]]
    for _ in range(n):  # downloads from the agency's bid-making room: same IP, different machines
        sec = w.find_section("la-agency-ip", 3, exclusive=False)
        if sec is None or agency[sec] < 0:
            continue
        chosen = w.free_bidders(sec, 3, rng)
        for c in chosen:
            b["download_ip"][w.bid_of(sec, c)] = int(agency[sec])
        w.claim(sec, chosen)
        w.truth.lookalike(
            "agency_shared_ip", ["C02"], [sec], chosen, agency=str(w.companies.arr("uscc")[agency[sec]])
        )
    vm_row = len(w.extra["machine"]["mac"]) - 1
    for _ in range(n):
        sec = w.find_section("la-vmware", 2, exclusive=False)
        if sec is None:
            break
        chosen = w.free_bidders(sec, 2, rng)
        for c in chosen:
            b["m_mac"][w.bid_of(sec, c)] = vm_row
        w.claim(sec, chosen)
        w.truth.lookalike("virtual_mac", ["C01"], [sec], chosen, mac="00-50-56-C0-00-08")
    _job_changers(w, rng, n)
    _agency_phone(w, rng, n)
    _batch_guarantees(w, rng, n)
    _pervasive(w)


def _job_changers(w: World, rng: np.random.Generator, n: int) -> None:
    """A technical lead who moved from firm X to firm Y the month before Y's bid names them."""
    for _ in range(n):
        sec = w.find_section("la-job", 1, exclusive=False, works=True)
        if sec is None:
            break
        (y,) = w.free_bidders(sec, 1, rng)
        x = int(rng.choice([c for c in honest_firms(w, "building") if c not in w.participants[sec]]))
        month = registry_data.month_of(w, int(s_deadline(w, sec)))
        if month < 2:
            continue
        person = int(w.persons.add(rng, w.companies.arr("region")[[x]], 28, 50)[0])
        registry_data.add_si(w, person, x, 0, month - 1)
        registry_data.add_si(w, person, y, month - 1, 36)
        cert = w.extra["certificates"]
        no = f"浙Y{person:09d}"
        moved = int(s_deadline(w, sec)) // 86_400 - 35
        for key, value in (
            ("no", no),
            ("person", person),
            ("type", "engineer"),
            ("specialty", "土木工程"),
            ("employer", y),
            ("from", moved),
            ("to", moved + 5 * 365),
        ):
            cert[key] = np.append(cert[key], value)
        w.extra["cert_of_person"][person] = no
        pr = w.extra["personnel"]
        bid = w.bid_of(sec, y)
        rows = np.flatnonzero((pr["bid"] == bid) & (pr["role"] == "technical_lead"))
        pr["person"][rows] = person
        w.claim(sec, [y])
        w.truth.lookalike("job_changer", ["C19", "C21"], [sec], [x, y], [person], moved_month=int(month - 1))


def s_deadline(w: World, sec: int) -> int:
    return int(w.market.s["deadline"][sec])


def _agency_phone(w: World, rng: np.random.Generator, n: int) -> None:
    """An agency's landline registered as the contact phone of clients that never meet in a section."""
    together: dict[int, set[int]] = {}
    for members in w.participants:
        for c in members:
            together.setdefault(c, set()).update(members)
    phones = w.companies.cols["phone"]
    for k in range(n):
        agency = int(w.agencies[k % len(w.agencies)])
        clients: list[int] = []
        for c in rng.permutation(honest_firms(w)).tolist():
            if len(clients) == 4:
                break
            if all(c not in together.get(o, set()) for o in clients):
                clients.append(int(c))
        for c in clients:
            phones[c] = phones[agency]
        secs = sorted({i for c in clients for i in np.flatnonzero(w.bid["comp"] == c).tolist()})[:50]
        w.truth.lookalike(
            "agency_contact_phone",
            ["C06"],
            [int(w.bid["sec"][i]) for i in secs],
            clients,
            phone=str(phones[agency]),
        )


def _batch_guarantees(w: World, rng: np.random.Generator, n: int) -> None:
    """A platform batch issues consecutive numbers to bidders of different sections."""
    g = np.flatnonzero(w.bid["pay"] == "guarantee")
    for k in range(n):
        picks = rng.choice(g, 4, replace=False) if len(g) >= 4 else g
        secs = w.bid["sec"][picks]
        if len(set(secs.tolist())) < len(picks):
            continue
        serial = 50_000_000 + k * 100
        for j, bid in enumerate(picks.tolist()):
            patch(w, "bid_guarantees", "guarantee_no", bid, f"BH99BATCH{serial + j}")
        w.truth.lookalike("guarantee_batch_numbers", ["C05"], secs.tolist(), w.bid["comp"][picks].tolist())


def _pervasive(w: World) -> None:
    """Signals present almost everywhere: recorded once each, with the sections they touch."""
    b, m = w.bid, w.extra["machine"]
    sec = b["sec"]
    cpu = m["cpu"][b["m_cpu"]]
    code = b["m_code"]
    pair = np.lexsort((cpu, sec))
    same = (
        (sec[pair][1:] == sec[pair][:-1])
        & (cpu[pair][1:] == cpu[pair][:-1])
        & (code[pair][1:] != code[pair][:-1])
    )
    w.truth.lookalike("common_cpu_model", ["C01"], sorted(set(sec[pair][1:][same].tolist())), [])
    tender_rsid = np.bincount(sec[b["rsid_src"] == 1], minlength=w.market.n_sections)
    w.truth.lookalike("tender_template_rsid", ["C03"], np.flatnonzero(tender_rsid >= 2).tolist(), [])
    w.truth.lookalike(
        "tender_template_text",
        ["C12"],
        list(range(w.market.n_sections)),
        [],
        note="every bid repeats four paragraphs of its tender document",
    )
    key = np.where(b["author_default"], b["author_pick"], -1)
    order = np.lexsort((key, sec))
    dup = (sec[order][1:] == sec[order][:-1]) & (key[order][1:] == key[order][:-1]) & (key[order][1:] >= 0)
    w.truth.lookalike("default_author", ["C03"], sorted(set(sec[order][1:][dup].tolist())), [])

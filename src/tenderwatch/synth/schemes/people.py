"""Personnel schemes: same PM or member (C07), cross-insured staff (C08), key staff of another firm
(C19, the article's 资质挂靠 case), PM with a live project (C20), one person for two firms (C21)."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import registry_data
from tenderwatch.synth.schemes.common import honest_firms, pairs
from tenderwatch.synth.state import World


def structure(w: World) -> None:
    """Plan the in-section picks now (before flattening) so other schemes avoid those bidders."""
    n = w.count()
    w.extra["people_plan"] = {
        "c07": pairs(w, "c07", 2, n, works=True),
        "c08": pairs(w, "c08", 2, n, works=True),
        "c19": pairs(w, "c19", 1, n, works=True),
        "c20": pairs(w, "c20", 1, n, works=True),
        "c21": pairs(w, "c21", 1, n, works=True),
    }
    w.extra["c20_plan"] = [(sec, c) for sec, (c,) in w.extra["people_plan"]["c20"]]


def _row(w: World, bid: int, role: str) -> int:
    pr = w.extra["personnel"]
    lo = int(np.searchsorted(pr["bid"], bid))
    hi = int(np.searchsorted(pr["bid"], bid, side="right"))
    hits = [i for i in range(lo, hi) if pr["role"][i] == role]
    return hits[0] if hits else -1


def _new_staff(w: World, rng: np.random.Generator, employer: int, role: str | None) -> int:
    """A person employed and insured by `employer` (with a certificate there for key roles)."""
    person = int(w.persons.add(rng, w.companies.arr("region")[[employer]], 28, 55)[0])
    registry_data.add_si(w, person, employer, 0, 36)
    if role in registry_data.CERT_TYPE:
        cert = w.extra["certificates"]
        kind = registry_data.CERT_TYPE[role][0]
        no = f"浙X{person:09d}"
        for key, value in (
            ("no", no),
            ("person", person),
            ("type", kind),
            ("specialty", "建筑工程"),
            ("employer", employer),
            ("from", int(cert["from"][0])),
            ("to", int(cert["to"][0])),
        ):
            cert[key] = np.append(cert[key], value)
        w.extra["cert_of_person"][person] = no
    return person


def plant(w: World) -> None:
    rng = w.rng("people-schemes")
    plan = w.extra["people_plan"]
    pr = w.extra["personnel"]
    for i, (sec, (a, b)) in enumerate(plan["c07"]):
        role = "project_manager" if i % 2 == 0 else "technical_lead"
        ra, rb = _row(w, w.bid_of(sec, a), role), _row(w, w.bid_of(sec, b), role)
        pr["person"][rb] = pr["person"][ra]
        w.truth.scheme("C07", f"same_{role}", [sec], [a, b], [int(pr["person"][ra])])
        # B names A's own key person: for B that is also key staff employed by a competitor (C19, red).
        w.truth.scheme("C19", "key_staff_of_competitor", [sec], [b], [int(pr["person"][ra])], via="C07")
    for sec, (a, b) in plan["c08"]:
        person = _new_staff(w, rng, b, None)
        pr["person"][_row(w, w.bid_of(sec, a), "agent")] = person
        w.truth.scheme("C08", "staff_insured_by_competitor", [sec], [a, b], [person])
    for sec, (firm,) in plan["c19"]:
        members = set(w.participants[sec])
        lender = int(rng.choice([c for c in honest_firms(w, "building")[:400] if c not in members]))
        persons = []
        for role in ("technical_lead", "safety_lead"):
            person = _new_staff(w, rng, lender, role)
            pr["person"][_row(w, w.bid_of(sec, firm), role)] = person
            persons.append(person)
        w.truth.scheme(
            "C19",
            "key_staff_of_other_company",
            [sec],
            [firm],
            persons,
            registered_with=str(w.companies.arr("uscc")[lender]),
        )
    for sec, (firm,) in plan["c20"]:
        pm = w.extra["c20_pm"].get(w.bid_of(sec, firm))
        if pm is not None:
            w.truth.scheme("C20", "pm_with_active_project", [sec], [firm], [int(pm)])
    _c21(w, rng, plan["c21"])


def _c21(w: World, rng: np.random.Generator, picks: list[tuple[int, list[int]]]) -> None:
    """Firm Y names, as technical lead, a person firm X named within the last 90 days."""
    s, b, pr = w.market.s, w.bid, w.extra["personnel"]
    tech = np.flatnonzero(pr["role"] == "technical_lead")
    tech_time = s["deadline"][b["sec"][pr["bid"][tech]]]
    for k, (sec, (y,)) in enumerate(picks):
        t2 = int(s["deadline"][sec])
        window = tech[(tech_time < t2 - 86_400 * 5) & (tech_time > t2 - 86_400 * 85)]
        window = window[(b["comp"][pr["bid"][window]] != y) & (b["sec"][pr["bid"][window]] != sec)]
        if len(window) == 0:
            continue
        src = int(window[int(rng.integers(0, len(window)))])
        person, x = int(pr["person"][src]), int(b["comp"][pr["bid"][src]])
        if x in w.participants[sec]:
            continue
        pr["person"][_row(w, w.bid_of(sec, y), "technical_lead")] = person
        kind = "key_staff_two_companies_90d"
        if k % 2:  # also insured by Y for the bid month: double registration
            month = registry_data.month_of(w, t2)
            registry_data.add_si(w, person, y, max(0, month - 1), min(36, month + 1))
            kind = "double_insurance_same_month"
        w.truth.scheme("C21", kind, [int(b["sec"][pr["bid"][src]]), sec], [x, y], [person])
        # Y names X's employee: a C19 finding for Y in Y's section only (X named its own employee).
        # In the double-insurance variant Y does insure the person, so it shows only while the
        # person's certificate, registered with another company, is still valid at Y's deadline.
        cert = w.extra["certificates"]
        day = t2 // 86_400
        cert_elsewhere = any(
            int(cert["employer"][r]) != y and int(cert["from"][r]) <= day <= int(cert["to"][r])
            for r in np.flatnonzero(cert["person"] == person)
        )
        if kind == "key_staff_two_companies_90d" or cert_elsewhere:
            w.truth.scheme("C19", "key_staff_of_other_company", [sec], [y], [person], via="C21")

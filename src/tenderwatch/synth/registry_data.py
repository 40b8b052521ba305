"""Derived registry data: certificates, social insurance, CA certificates, operators, honest credit."""

from __future__ import annotations

import numpy as np

from tenderwatch.synth import idgen, names
from tenderwatch.synth.market import DAY
from tenderwatch.synth.scales import PERIOD_START, SI_MONTHS
from tenderwatch.synth.state import World

CERT_TYPE = {
    "project_manager": ("constructor_1", "constructor_2"),
    "technical_lead": ("engineer",),
    "safety_lead": ("safety_c",),
}


def certificates(w: World) -> None:
    """One certificate per PM, technical and safety lead, registered at the employer."""
    rng = w.rng("certificates")
    st = w.extra["staff"]
    mask = np.isin(st["role"], list(CERT_TYPE))
    person, employer, role = st["person"][mask], st["employer"][mask], st["role"][mask]
    n = len(person)
    ctype = np.array(
        [
            CERT_TYPE[str(r)][int(k) % len(CERT_TYPE[str(r)])]
            for r, k in zip(role, rng.integers(0, 10, n), strict=True)
        ]
    )
    year = rng.integers(2008, 2023, n)
    serial = idgen.digits(rng, n, 7)
    prefix = np.array(
        [
            {
                "constructor_1": "浙133",
                "constructor_2": "浙233",
                "engineer": "浙工程师",
                "safety_c": "浙建安C",
            }[str(t)]
            for t in ctype
        ]
    )
    no = np.char.add(np.char.add(prefix, year.astype(str)), serial)
    _, first = np.unique(no, return_index=True)
    dup = np.setdiff1d(np.arange(n), first)
    no[dup] = np.char.add(no[dup], "A")
    valid_from = idgen.days(PERIOD_START) - rng.integers(30, 5 * 365, n)
    spec = np.array(
        [
            names.SPECIALTY[str(t)][int(k) % len(names.SPECIALTY[str(t)])]
            for t, k in zip(ctype, rng.integers(0, 10, n), strict=True)
        ]
    )
    w.extra["certificates"] = {
        "no": no,
        "person": person,
        "type": ctype,
        "specialty": spec,
        "employer": employer,
        "from": valid_from,
        "to": valid_from + 5 * 365,
    }
    w.extra["cert_of_person"] = {int(p): str(c) for p, c in zip(person, no, strict=True)}


def social_insurance(w: World) -> None:
    """Every staff member and expert insured by their employer for the whole 36-month window."""
    rng = w.rng("si")
    st = w.extra["staff"]
    ex_person = w.extra["expert_pool"]
    emp = w.extra["employer_of"]
    person = np.concatenate([st["person"], ex_person])
    employer = np.concatenate([st["employer"], emp[ex_person]])
    n = len(person)
    w.extra["si"] = {
        "person": person,
        "employer": employer,
        "from": np.zeros(n, dtype=np.int64),
        "to": np.full(n, SI_MONTHS, dtype=np.int64),
        "base": (np.round(rng.uniform(4_500, 18_000, n) / 10) * 1000).astype(np.int64),
    }


def add_si(w: World, person: int, employer: int, first: int, last: int) -> None:
    """Add an insurance spell (months first..last-1 of the window)."""
    si = w.extra["si"]
    for key, value in (
        ("person", person),
        ("employer", employer),
        ("from", first),
        ("to", last),
        ("base", 650_000),
    ):
        si[key] = np.append(si[key], value)


def end_si(w: World, person: int, employer: int, last: int) -> None:
    si = w.extra["si"]
    hit = np.flatnonzero((si["person"] == person) & (si["employer"] == employer))
    si["to"][hit] = np.minimum(si["to"][hit], last)
    si["from"][hit] = np.minimum(si["from"][hit], si["to"][hit])


def month_of(w: World, seconds: int) -> int:
    """Index of the insurance month containing an epoch time."""
    d = idgen.date_of(int(seconds) // DAY)
    return (d.year * 12 + d.month) - (2023 * 12 + 4)


def ca_certificates(w: World) -> None:
    rng = w.rng("ca")
    n = w.companies.count
    w.extra["ca_serial"] = np.char.add("ZJCA", idgen.unique_hex(rng, n, 8))
    listed = np.flatnonzero(w.companies.arr("listed") & (w.companies.arr("kind") != "owner"))
    handler = w.extra["operator"][listed]
    issued = (
        idgen.days(PERIOD_START) * DAY
        - rng.integers(20, 700, len(listed)) * DAY
        + rng.integers(9, 17, len(listed)) * 3600
    )
    w.extra["ca"] = {
        "company": listed,
        "handler": handler,
        "issued": issued,
        "outlet": np.array(names.CA_OUTLETS)[rng.integers(0, len(names.CA_OUTLETS), len(listed))],
    }

"""Staff of the bidding firms, their certificates, and who each bid names (project managers kept honest).

Honest firms name their own people: certificates registered at the firm, insured by the firm every
month. A project manager who won a contract stays on it until completion, so the firm names another
free PM in the meantime (hiring one if it must); this keeps C20 hits to the planted ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tenderwatch.synth import idgen
from tenderwatch.synth.market import DAY, WORKS
from tenderwatch.synth.scales import AS_OF, PERIOD_START
from tenderwatch.synth.state import Arr, World

ROLES = ("agent", "project_manager", "technical_lead", "safety_lead", "quality_lead", "member")
CERT_OF = {"project_manager": "constructor", "technical_lead": "engineer", "safety_lead": "safety_c"}


def hire(w: World) -> None:
    """Staff pools per company and role, sized by how much the firm bids and wins."""
    rng = w.rng("hire")
    comp, winner = w.bid["comp"], w.extra["winner"]
    n_comp = w.companies.count
    bids_per = np.bincount(comp, minlength=n_comp)
    wins_per = np.bincount(comp[winner[winner >= 0]], minlength=n_comp)
    industry = w.companies.arr("industry")
    region = w.companies.arr("region")
    works = np.isin(industry, WORKS) & (industry != "")
    active = np.flatnonzero((bids_per > 0) | (w.weight > 0))
    sizes: dict[str, Arr] = {
        "clerk": np.ones(n_comp, dtype=np.int64),
        "agent": 1 + (rng.random(n_comp) < 0.4),
        "project_manager": np.where(works, 2 + np.ceil(wins_per * 0.8).astype(np.int64), 0),
        "technical_lead": np.where(works, rng.integers(1, 4, n_comp), 0),
        "safety_lead": np.where(works, rng.integers(1, 4, n_comp), 0),
        "quality_lead": np.where(works, rng.integers(1, 3, n_comp), 0),
        "member": rng.integers(2, 5, n_comp),
    }
    pools: dict[str, list[list[int]]] = {r: [[] for _ in range(n_comp)] for r in sizes}
    employer: list[int] = []
    staff_role: list[str] = []
    for role, size in sizes.items():
        owners = np.repeat(active, size[active])
        people = w.persons.add(rng, region[owners], 24, 58)
        for c, p in zip(owners.tolist(), people.tolist(), strict=True):
            pools[role][c].append(p)
        employer.extend(owners.tolist())
        staff_role.extend([role] * len(owners))
    w.extra["pools"] = pools
    w.extra["staff"] = {
        "person": np.arange(w.persons.count - len(employer), w.persons.count),
        "employer": np.array(employer),
        "role": np.array(staff_role),
    }


def name_personnel(w: World) -> None:
    """Bid personnel rows, in deadline order, with PMs busy on won contracts avoided."""
    rng = w.rng("personnel")
    s, b = w.market.s, w.bid
    pools: dict[str, list[list[int]]] = w.extra["pools"]
    winner = w.extra["winner"]
    busy: dict[int, int] = dict(w.extra.get("busy_until", {}))
    c20: set[int] = w.extra.get("c20_bids", set())
    last: dict[int, int] = {}  # day each PM was last named
    rows_bid: list[int] = []
    rows_role: list[str] = []
    rows_person: list[int] = []
    projects: list[tuple[int, int, int, int, int]] = w.extra.setdefault(
        "projects", []
    )  # comp, pm, sec, start, end
    late_hires: list[tuple[int, int]] = w.extra.setdefault("late_hires", [])  # (company, placeholder)
    order = np.argsort(s["deadline"][b["sec"]], kind="stable")
    dur = w.extra["duration"]
    r_member = rng.integers(0, 3, len(order))
    r_quality = rng.random(len(order)) < 0.6
    r_pick = rng.integers(0, 1 << 30, (len(order), 5))
    for k, i in enumerate(order.tolist()):
        sec, c = int(b["sec"][i]), int(b["comp"][i])
        day = int(s["deadline"][sec]) // DAY
        pick = r_pick[k]
        rows = [("agent", _one(pools["agent"][c], pick[0]))]
        if w.is_works(sec):
            pms = pools["project_manager"][c]
            free = [p for p in pms if busy.get(p, 0) < day]
            if i in c20 and free:
                # The PM started another contract after last being named and it is still running.
                pm = min(free, key=lambda p: last.get(p, 0))
                start = max(last.get(pm, 0) + 1, day - 60 - int(pick[2]) % 60)
                end = day + 240 + int(pick[1]) % 200
                projects.append((c, pm, -1, start, end))
                busy[pm] = end + 31
                w.extra.setdefault("c20_pm", {})[i] = pm
            elif free:
                pm = free[int(pick[1]) % len(free)]
            else:
                pm = -(len(late_hires) + 1)
                late_hires.append((c, pm))
                pms.append(pm)
            rows.append(("project_manager", pm))
            last[pm] = day
            rows.append(("technical_lead", _one(pools["technical_lead"][c], pick[2])))
            rows.append(("safety_lead", _one(pools["safety_lead"][c], pick[3])))
            if r_quality[k]:
                rows.append(("quality_lead", _one(pools["quality_lead"][c], pick[4])))
            if winner[sec] == i:
                start = int(s["contract"][sec]) + int(pick[4]) % 30
                end = start + int(dur[sec] * (0.95 + (int(pick[0]) % 40) / 100))
                projects.append((c, pm, sec, start, end))
                busy[pm] = max(busy.get(pm, 0), end + 31)  # the acceptance date may trail the plan
        members = pools["member"][c]
        for j in range(min(int(r_member[k]), len(members))):
            rows.append(("member", members[(int(pick[0]) + j) % len(members)]))
        for role, person in rows:
            rows_bid.append(i)
            rows_role.append(role)
            rows_person.append(person)
    if late_hires:  # hire the PMs the loop asked for; they joined half a year before the bid
        owners = np.array([c for c, _ in late_hires])
        people = w.persons.add(rng, w.companies.arr("region")[owners], 28, 55)
        remap = {ph: int(p) for (_, ph), p in zip(late_hires, people, strict=True)}
        rows_person = [remap.get(p, p) for p in rows_person]
        projects[:] = [(c, remap.get(pm, pm), sc, st, en) for c, pm, sc, st, en in projects]
        for (c, ph), p in zip(late_hires, people.tolist(), strict=True):
            pools["project_manager"][c][pools["project_manager"][c].index(ph)] = p
        staff = w.extra["staff"]
        staff["person"] = np.concatenate([staff["person"], people])
        staff["employer"] = np.concatenate([staff["employer"], owners])
        staff["role"] = np.concatenate([staff["role"], np.full(len(owners), "project_manager")])
        w.extra["c20_pm"] = {k2: remap.get(v, v) for k2, v in w.extra.get("c20_pm", {}).items()}
    order_rows = np.lexsort((np.array([ROLES.index(r) for r in rows_role]), np.array(rows_bid)))
    w.extra["personnel"] = {
        "bid": np.array(rows_bid)[order_rows],
        "role": np.array(rows_role)[order_rows],
        "person": np.array(rows_person, dtype=np.int64)[order_rows],
    }


def _one(pool: list[int], r: Any) -> int:
    return pool[int(r) % len(pool)]


def history(w: World) -> None:
    """Contracts from before the bid period: their PMs are busy into the first months of it."""
    rng = w.rng("history")
    pools = w.extra["pools"]
    busy: dict[int, int] = {}
    projects: list[tuple[int, int, int, int, int]] = w.extra.setdefault("projects", [])
    p0 = idgen.days(PERIOD_START)
    for c in range(w.companies.count):
        pms = pools["project_manager"][c]
        for pm in pms[: int(rng.integers(0, 3))]:
            start = p0 - int(rng.integers(200, 900))
            end = start + int(rng.integers(180, 700))
            projects.append((c, pm, -1, start, end))
            busy[pm] = end + 31
    w.extra["busy_until"] = busy


def as_of_status(start: int, end: int, rng: np.random.Generator) -> tuple[str, int | None]:
    """Registry status on the snapshot date: completed (with acceptance date), active or suspended."""
    as_of = idgen.days(AS_OF)
    if end + 30 < as_of:
        return "completed", end + int(rng.integers(0, 30))
    return ("suspended" if rng.random() < 0.03 else "active"), None

"""Orchestration: build the province step by step and write the files and truth.json."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from tenderwatch.synth import (
    attributes,
    bids,
    credit,
    evaluation,
    lookalikes,
    registry_data,
    schemes,
    staffing,
)
from tenderwatch.synth.companies import Companies
from tenderwatch.synth.market import build_market, pick_counties
from tenderwatch.synth.people import Persons
from tenderwatch.synth.scales import SCALES, Scale
from tenderwatch.synth.schemes import experts as expert_schemes
from tenderwatch.synth.state import World
from tenderwatch.synth.tables_core import write_core
from tenderwatch.synth.tables_registry import write_registry
from tenderwatch.synth.tables_traces import write_traces
from tenderwatch.synth.truth import write_truth

__all__ = ["SCALES", "SynthSummary", "generate"]

Progress = Callable[[str, int, int], None]


class SynthSummary(BaseModel):
    scale: str
    seed: int
    out: Path
    counts: dict[str, int]
    schemes: int
    lookalikes: int


def generate(scale: str, seed: int, out: Path, progress: Progress | None = None) -> SynthSummary:
    """Write ``out/<dataset_id>.csv`` for every catalogue dataset and ``out/truth.json``."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    out.mkdir(parents=True, exist_ok=True)
    steps: list[tuple[str, Callable[[World], None]]] = [
        ("market", lambda w: None),
        ("schemes: structure", schemes.plant_structure),
        ("evaluation", _evaluate),
        ("staff", _staff),
        ("schemes: people", schemes.plant_people),
        ("traces", _traces),
        ("schemes: traces", schemes.plant_traces),
        ("look-alikes", lookalikes.plant),
        ("credit", _credit),
    ]
    total = len(steps) + 3
    report = progress or (lambda _name, _done, _total: None)
    report("market", 0, total)
    world = _world(SCALES[scale], seed)
    for done, (name, step) in enumerate(steps, start=1):
        report(name, done, total)
        step(world)
    counts: dict[str, int] = {}
    for done, (name, writer) in enumerate(
        (
            ("write: trading", write_core),
            ("write: traces", write_traces),
            ("write: registry", write_registry),
        ),
        start=len(steps) + 1,
    ):
        report(name, done, total)
        counts.update(writer(world, out))
    counts = dict(sorted(counts.items()))
    write_truth(
        out / "truth.json",
        scale,
        seed,
        counts,
        world.truth,
        world.market.s["code"],
        world.companies.arr("uscc"),
        world.persons.ids,
    )
    report("done", total, total)
    return SynthSummary(
        scale=scale,
        seed=seed,
        out=out,
        counts=counts,
        schemes=len(world.truth.schemes),
        lookalikes=len(world.truth.lookalikes),
    )


def _world(scale: Scale, seed: int) -> World:
    rng = np.random.default_rng([seed, 1])
    persons, companies = Persons(), Companies()
    n = scale.companies
    industry = np.array(["building", "transport", "water", "procurement"])[
        rng.choice(4, n, p=[0.5, 0.14, 0.11, 0.25])
    ]
    bidder_idx = np.empty(n, dtype=np.int64)
    regions = pick_counties(rng, n)
    for ind in ("building", "transport", "water", "procurement"):
        mask = industry == ind
        kind = "supplier" if ind == "procurement" else "contractor"
        bidder_idx[mask] = companies.add(rng, persons, kind, ind, regions[mask])
    t_regions = pick_counties(rng, scale.tenderers)
    corporate = rng.random(scale.tenderers) < 0.4
    tenderers = np.empty(scale.tenderers, dtype=np.int64)
    tenderers[corporate] = companies.add(rng, persons, "owner", "", t_regions[corporate], suffix_kind="owner")
    tenderers[~corporate] = companies.add(
        rng, persons, "owner", "", t_regions[~corporate], prefix="12", listed=False
    )
    a_regions = pick_counties(rng, scale.agencies)
    agencies = companies.add(rng, persons, "agency", "", a_regions)
    d_regions = pick_counties(rng, max(4, scale.experts // 8))
    designers = companies.add(rng, persons, "designer", "", d_regions)
    market = build_market(rng, scale.sections, tenderers, t_regions, agencies, a_regions)
    market.s["tenderer_of"] = market.p["tenderer"][market.s["project"]]
    weight = np.zeros(companies.count)
    weight[bidder_idx] = rng.pareto(2.2, n) + 0.35
    w = World(
        scale=scale,
        seed=seed,
        persons=persons,
        companies=companies,
        market=market,
        tenderers=tenderers,
        agencies=agencies,
        expert_employers=designers,
        weight=weight,
    )
    quality = np.zeros(companies.count)
    quality[bidder_idx] = np.clip(rng.normal(0, 0.8, n), -2, 2)
    w.extra["quality"] = quality
    # Experts: engineers of design institutes and officials of public owners; one owner rep per tenderer.
    employer = np.concatenate([designers, tenderers])
    emp_pick = employer[rng.integers(0, len(employer), scale.experts)]
    pool = persons.add(rng, companies.arr("region")[emp_pick], 35, 65)
    reps = persons.add(rng, t_regions, 30, 58)
    w.extra["expert_pool"], w.extra["expert_employer"] = pool, emp_pick
    w.extra["expert_type"] = np.where(rng.random(len(pool)) < 0.75, "technical", "economic")
    w.extra["owner_rep"] = dict(zip(tenderers.tolist(), reps.tolist(), strict=True))
    w.extra["rep_employer"] = tenderers
    w.extra["duration"] = attributes.duration_days(w)
    schemes.plant_companies(w)
    w.participants = bids.select_bidders(
        w.rng("select"), market, companies.arr("industry"), companies.arr("region"), w.weight
    )
    return w


def _evaluate(w: World) -> None:
    w.flatten()
    for _ in range(4):  # later passes give a win to honest firms that would otherwise never win
        evaluation.set_prices(w)
        evaluation.disqualify(w)
        evaluation.panel(w)
        schemes.plant_scores(w)
        evaluation.rank(w)
        if not _give_honest_wins(w):
            break
    expert_schemes.record_truth(w)
    expert_schemes.record_redraws(w)


def _give_honest_wins(w: World) -> bool:
    """Honest firms with ≥4 bids and no win get one win, so zero-win regulars are the planted ones."""
    b = w.bid
    n_comp = w.companies.count
    bids_per = np.bincount(b["comp"], minlength=n_comp)
    wins = np.bincount(b["comp"][w.extra["winner"][w.extra["winner"] >= 0]], minlength=n_comp)
    never = set(np.flatnonzero((bids_per >= 4) & (wins == 0)).tolist()) - w.extra.get("planted_losers", set())
    changed = False
    used = set(w.force_win)
    for i in np.flatnonzero(np.isin(b["comp"], list(never))).tolist():
        sec, comp = int(b["sec"][i]), int(b["comp"][i])
        if (
            comp in never
            and sec not in used
            and sec not in w.claimed
            and sec not in w.exclusive
            and not b["disq"][i]
        ):
            w.force_win[sec] = comp
            used.add(sec)
            never.discard(comp)
            changed = True
    return changed


def _staff(w: World) -> None:
    staffing.hire(w)
    pools = w.extra["pools"]
    reps = w.companies.arr("legal_rep")
    w.extra["operator"] = np.array(
        [pools["clerk"][c][0] if pools["clerk"][c] else int(reps[c]) for c in range(w.companies.count)],
        dtype=np.int64,
    )
    staffing.history(w)
    w.extra["c20_bids"] = {w.bid_of(sec, c) for sec, c in w.extra.get("c20_plan", [])}
    staffing.name_personnel(w)
    pr = w.extra["personnel"]
    pm_rows = pr["role"] == "project_manager"
    pm_of_bid = np.full(len(w.bid["sec"]), -1, dtype=np.int64)
    pm_of_bid[pr["bid"][pm_rows]] = pr["person"][pm_rows]
    winner = w.extra["winner"]
    w.extra["award_pm"] = np.where(winner >= 0, pm_of_bid[np.maximum(winner, 0)], -1)
    w.extra["contract_signed"] = w.market.s["contract"] <= (np.datetime64("2026-06-30").astype(np.int64))
    employer_of = np.full(w.persons.count, -1, dtype=np.int64)
    employer_of[w.extra["expert_pool"]] = w.extra["expert_employer"]
    for t, rep in w.extra["owner_rep"].items():
        employer_of[rep] = t
    w.extra["employer_of"] = employer_of
    registry_data.certificates(w)
    registry_data.social_insurance(w)
    registry_data.ca_certificates(w)


def _credit(w: World) -> None:
    credit.honest_credit(w)
    schemes.plant_credit(w)


def _traces(w: World) -> None:
    attributes.machines(w)
    attributes.per_bid(w)

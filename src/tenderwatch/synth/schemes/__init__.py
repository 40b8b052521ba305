"""Planted schemes, one module per family.

Each ``plant_*`` phase runs at the point of generation where its signal can be planted without
breaking what was built before: who bids where before prices and ranks, scores before ranking,
personnel after honest staffing, traces after honest traces, blacklist entries last.
"""

from __future__ import annotations

from tenderwatch.synth import lookalikes
from tenderwatch.synth.schemes import coordination, experts, network, people, prices, traces
from tenderwatch.synth.state import World


def plant_companies(w: World) -> None:
    """Companies that only schemes use (satellites, accompany bidders)."""
    network.make_companies(w)
    lookalikes.companies(w)


def plant_structure(w: World) -> None:
    """Who bids where, who must win or lose, planted prices, dates and disqualifications."""
    network.structure(w)
    coordination.structure(w)
    prices.structure(w)
    experts.structure(w)
    people.structure(w)
    traces.structure(w)
    lookalikes.structure(w)


def plant_scores(w: World) -> None:
    """Expert-score schemes (after the panel is drawn, before ranking)."""
    experts.apply_swaps(w)
    experts.scores(w)
    experts.apply_swaps(w)


def plant_people(w: World) -> None:
    """Personnel schemes (after honest staffing)."""
    people.plant(w)


def plant_traces(w: World) -> None:
    """Machine, IP, document, bond, guarantee and broker schemes."""
    traces.plant(w)
    coordination.plant(w)


def plant_credit(w: World) -> None:
    """Blacklisted bidders."""
    coordination.plant_credit(w)

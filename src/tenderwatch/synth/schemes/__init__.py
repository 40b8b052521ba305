"""Planted schemes, one module per family. Each ``plant_*`` phase runs at the point of generation where
its signal can be planted without breaking what was built before (see ``generate``)."""

from __future__ import annotations

from tenderwatch.synth.state import World


def plant_companies(w: World) -> None:
    """Companies that only schemes use (satellites, accompany bidders, brokers' firms)."""


def plant_structure(w: World) -> None:
    """Who bids where, who must win or lose, planted prices and disqualifications."""


def plant_scores(w: World) -> None:
    """Expert-score schemes (after the panel is drawn, before ranking)."""


def plant_people(w: World) -> None:
    """Personnel schemes (after honest staffing)."""


def plant_traces(w: World) -> None:
    """Machine, IP, document, bond and guarantee schemes."""


def plant_credit(w: World) -> None:
    """Blacklisted bidders."""

"""Benign look-alikes: honest situations that resemble a scheme's signal."""

from __future__ import annotations

from tenderwatch.synth.state import World


def plant(w: World) -> None:
    pass

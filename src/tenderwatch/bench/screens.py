"""`tenderwatch bench screens`: leave-one-market-out quality of the collusion classifier."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the screens benchmark to the `bench` command group."""

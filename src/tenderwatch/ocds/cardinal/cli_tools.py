"""`tenderwatch ocds prepare`, `ocds init` and `ocds coverage`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add prepare, init and coverage to the `ocds` command group."""

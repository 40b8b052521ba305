"""`tenderwatch ocds indicators`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the indicators command to the `ocds` command group."""

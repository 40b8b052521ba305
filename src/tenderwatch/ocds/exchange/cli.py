"""`tenderwatch ocds import` and `ocds export`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add import and export to the `ocds` command group."""

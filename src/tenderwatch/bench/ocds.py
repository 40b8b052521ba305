"""`tenderwatch bench ocds`: OCDS indicator throughput and peak memory."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the OCDS benchmark to the `bench` command group."""

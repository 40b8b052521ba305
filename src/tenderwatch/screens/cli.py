"""`tenderwatch screens …`: score, evaluate and train the tender-level collusion classifier."""

from __future__ import annotations

import typer

screens_app = typer.Typer(help="报价筛查 / Price screens and the collusion classifier", no_args_is_help=True)

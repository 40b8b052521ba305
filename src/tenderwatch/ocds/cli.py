"""`tenderwatch ocds …`: one command group, each part registers its own commands."""

from __future__ import annotations

import typer

from tenderwatch.ocds.cardinal import cli_indicators, cli_tools
from tenderwatch.ocds.exchange import cli as exchange_cli

ocds_app = typer.Typer(
    help="开放合同数据标准 / OCDS import, export and red-flag indicators", no_args_is_help=True
)
cli_indicators.register(ocds_app)
cli_tools.register(ocds_app)
exchange_cli.register(ocds_app)

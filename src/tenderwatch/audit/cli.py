"""`tenderwatch audit …`: verify the trail, make and export checkpoints."""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="审计日志 / Tamper-evident audit trail", no_args_is_help=True)

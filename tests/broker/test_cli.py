"""`tenderwatch broker collect|screen` on the tiny province (the group is registered by cli.py)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from tenderwatch.broker.cli import broker_app
from tenderwatch.config import get_settings
from tests.detection.conftest import Province


def test_collect_then_screen(tiny_c18: Province, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(tiny_c18.settings.data_dir))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        collected = runner.invoke(broker_app, ["collect"])
        assert collected.exit_code == 0, collected.output
        again = runner.invoke(broker_app, ["collect"])
        assert "created 0" in again.output and "updated 0" in again.output
        screened = runner.invoke(broker_app, ["screen", "--since", "2000-01-01", "--limit", "500"])
        assert screened.exit_code == 0, screened.output
        found = re.search(r"matches: (\d+)（强 strong (\d+)）", screened.output)
        assert found and int(found.group(1)) > 0 and int(found.group(2)) > 0
        bad = runner.invoke(broker_app, ["screen", "--since", "yesterday"])
        assert bad.exit_code != 0
    finally:
        get_settings.cache_clear()

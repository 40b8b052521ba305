"""``tenderwatch cases`` (the group is registered in the main CLI by its owner): open and tick."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tenderwatch.case.cli import cases_app
from tenderwatch.case.models import Case
from tenderwatch.config import get_settings
from tenderwatch.db import Database
from tests.case.conftest import make_warning


def test_open_and_tick(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(sqlite_db.settings.data_dir))
    get_settings.cache_clear()
    try:
        with sqlite_db.transaction() as session:
            make_warning(session, grade="orange")
        runner = CliRunner()
        opened = runner.invoke(cases_app, ["open", "--today", "2026-09-30"])
        assert opened.exit_code == 0 and "1 cases opened" in opened.output
        ticked = runner.invoke(cases_app, ["tick", "--today", "2026-10-28"])
        assert ticked.exit_code == 0 and "1 overdue, 1 supervised" in ticked.output
        with sqlite_db.session() as session:
            case = session.query(Case).one()
            assert case.overdue and case.supervised_by == "330100-building"
    finally:
        get_settings.cache_clear()

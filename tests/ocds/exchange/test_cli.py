"""The `tenderwatch ocds import | export | validate` commands, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from typer.testing import CliRunner

from tenderwatch.cli import app
from tenderwatch.ocds.schema import registry, schema
from tests.ocds.exchange.ocds_samples import award_release, tender_release


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(tmp_path / "var"))
    return tmp_path


def _jsonl(path: Path, *releases: object) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in releases) + "\n", encoding="utf-8")
    return path


def test_import_then_export_a_valid_package(data_env: Path) -> None:
    source = _jsonl(data_env / "in.jsonl", tender_release(), award_release())
    result = CliRunner().invoke(app, ["ocds", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "sections" in result.output and "received" in result.output

    out = data_env / "out.json"
    result = CliRunner().invoke(app, ["ocds", "export", "--out", str(out), "--package"])
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema("release-package-schema.json"), registry=registry())
    assert list(validator.iter_errors(package)) == []
    [release] = package["releases"]
    assert release["bids"]["statistics"][0] == {"id": "bids", "measure": "bids", "value": 2}
    assert {p["identifier"]["scheme"] for p in release["parties"]} == {"CN-USCC"}


def test_import_exits_non_zero_when_anything_is_rejected(data_env: Path) -> None:
    bad = tender_release()
    bad["tender"]["regionCode"] = "110101"  # Beijing: outside the province the catalogue accepts
    result = CliRunner().invoke(app, ["ocds", "import", str(_jsonl(data_env / "bad.jsonl", bad))])
    assert result.exit_code == 1
    assert "rejected" in result.output


def test_validate_names_line_ocid_and_path(data_env: Path) -> None:
    broken = award_release()
    broken["bids"]["details"][0]["status"] = "won"
    path = _jsonl(data_env / "check.jsonl", tender_release(), broken)
    result = CliRunner().invoke(app, ["ocds", "validate", str(path)])
    assert result.exit_code == 1
    assert "check.jsonl:2 ocds-abc123-S1 bids.details[0].status" in result.output

    good = _jsonl(data_env / "good.jsonl", tender_release())
    assert CliRunner().invoke(app, ["ocds", "validate", str(good)]).exit_code == 0


def test_a_file_that_is_not_ocds_is_refused_without_a_traceback(data_env: Path) -> None:
    path = data_env / "notes.txt"
    path.write_text("hello\nworld\n", encoding="utf-8")
    command = Path(sys.executable).parent / "tenderwatch"
    done = subprocess.run(
        [str(command), "ocds", "import", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "TENDERWATCH_DATA_DIR": str(data_env / "var"), "COLUMNS": "300"},
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert "neither JSON nor JSON Lines" in done.stdout + done.stderr


def test_an_unknown_source_unit_is_refused(data_env: Path) -> None:
    source = _jsonl(data_env / "in.jsonl", tender_release())
    result = CliRunner().invoke(app, ["ocds", "import", str(source), "--source-unit", "nobody"])
    assert result.exit_code != 0
    assert "trading_center" in str(result.exception)
    ok = CliRunner().invoke(app, ["ocds", "import", str(source), "--source-unit", "trading_center"])
    assert ok.exit_code == 0, ok.output

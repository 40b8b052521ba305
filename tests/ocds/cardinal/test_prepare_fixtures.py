"""Cardinal's own prepare fixtures (NAME.jsonl + NAME.ini → NAME.output), byte for byte.

As in Cardinal's test, NAME.output is the corrected JSON lines only; the quality issues are compared
where a NAME.errors file exists (none of Cardinal 0.0.8's fixtures has one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "prepare"
NAMES = sorted(path.stem for path in FIXTURES.glob("*.jsonl"))


def test_every_fixture_is_found() -> None:
    assert len(NAMES) == 9


@pytest.mark.parametrize("name", NAMES)
def test_prepare_fixture(name: str, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.csv"
    args = ["ocds", "prepare", str(FIXTURES / f"{name}.jsonl"), "-o", str(output), "-e", str(errors)]
    settings = FIXTURES / f"{name}.ini"
    if settings.exists():
        args += ["-s", str(settings)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == (FIXTURES / f"{name}.output").read_bytes()
    expected_errors = FIXTURES / f"{name}.errors"
    if expected_errors.exists():
        assert errors.read_bytes() == expected_errors.read_bytes()

"""`tenderwatch ocds init`: Cardinal's default settings, accepted by prepare and indicators."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tenderwatch.cli import app
from tenderwatch.ocds.cardinal.init import default_settings
from tenderwatch.ocds.cardinal.settings import INDICATORS, load_settings
from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "prepare"


def test_init_writes_the_default_settings(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    result = CliRunner().invoke(app, ["ocds", "init", str(target)])
    assert result.exit_code == 0, result.output
    assert "Settings written to" in result.output
    text = target.read_text(encoding="utf-8")
    assert text == default_settings().decode("utf-8")
    # Every property is commented out and every indicator section is present.
    assert text.startswith("; currency = USD\n") and text.endswith("[R058]\n; threshold = 0.5\n")
    assert all(f"\n[{code}]\n" in text for code in INDICATORS)
    assert not [line for line in text.splitlines() if line and line[0] not in ";["]


def test_init_to_stdout() -> None:
    result = CliRunner().invoke(app, ["ocds", "init", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes == default_settings()


def test_default_settings_parse_and_enable_every_indicator(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    CliRunner().invoke(app, ["ocds", "init", str(target)])
    settings = load_settings(target)
    assert settings.indicators() == list(INDICATORS)
    assert settings.get("defaults", "currency") is None


def test_prepare_accepts_the_default_settings(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    CliRunner().invoke(app, ["ocds", "init", str(target)])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["ocds", "prepare", str(FIXTURES / "id.jsonl"), "-s", str(target), "-o", str(out), "-e", "-"]
    )
    assert result.exit_code == 0, result.output
    # Nothing configured: ids are still made strings, contracts are left alone.
    assert out.read_bytes().startswith(b'{"buyer":{"id":"1"}')


def test_indicators_accepts_the_default_settings(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    CliRunner().invoke(app, ["ocds", "init", str(target)])
    prepared = tmp_path / "prepared.jsonl"
    CliRunner().invoke(
        app,
        [
            "ocds",
            "prepare",
            str(FIXTURES / "defaults.jsonl"),
            "-s",
            str(target),
            "-o",
            str(prepared),
            "-e",
            "-",
        ],
    )
    result = CliRunner().invoke(app, ["ocds", "indicators", str(prepared), "-s", str(target)])
    assert result.exit_code == 0, result.output
    # Every indicator is enabled: the price indicators report their (empty) quartiles.
    assert result.stdout.startswith('{"Meta":{"R024":')


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    target.write_text("[R024]\n", encoding="utf-8")
    result = run_cli(["ocds", "init", str(target)], tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "already exists" in lines[0] and "--force" in lines[0]
    assert "Traceback" not in result.stderr
    assert target.read_text(encoding="utf-8") == "[R024]\n"

    forced = CliRunner().invoke(app, ["ocds", "init", "--force", str(target)])
    assert forced.exit_code == 0
    assert target.read_bytes() == default_settings()

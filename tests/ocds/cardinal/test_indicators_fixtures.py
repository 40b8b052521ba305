"""`tenderwatch ocds indicators` gives OCDS Cardinal's output on every Cardinal fixture, byte for byte.

Settings are built from each fixture's name exactly as Cardinal's build.rs does (R003-threshold-10
→ `[R003] threshold = 10`; a `+` stands for `|`; R003-procurement_method_details-x-5-y-10 → the
table `[R003.procurement_method_details] x = 5, y = 10`), plus the two settings Cardinal adds to
every fixture run (`no_price_comparison_procurement_methods = NPC`, `[exclusions]
procurement_method_details = EXC`). Cardinal's tests compare results only, so we run with --no-meta.

The .expected files end with zero, one or two newlines (they are hand-written); Cardinal prints one
newline after the JSON, so the comparison is with the expected text plus exactly one newline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
NAMES = sorted(path.stem for path in FIXTURES.glob("*.jsonl"))


def settings_for(name: str) -> str:
    parts = name.replace("+", "|").split("-")
    ident, rest = parts[0], parts[1:]
    lines = [
        "no_price_comparison_procurement_methods = NPC",
        "[exclusions]",
        "procurement_method_details = EXC",
        f"[{ident}]",
    ]
    if len(rest) == 2:
        lines.append(f"{rest[0]} = {rest[1]}")
    elif len(rest) > 2:
        lines.append(f"[{ident}.{rest[0]}]")
        lines.extend(f"{key} = {value}" for key, value in zip(rest[1::2], rest[2::2], strict=True))
    return "\n".join(lines) + "\n"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, ["ocds", "indicators", *args], catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_all_fixtures_present() -> None:
    assert len(NAMES) == 15
    assert (FIXTURES / "LICENSE").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_fixture_identical_bytes(name: str, tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ini.write_text(settings_for(name), encoding="utf-8")
    code, stdout, stderr = run(str(FIXTURES / f"{name}.jsonl"), "--settings", str(ini), "--no-meta")
    assert code == 0, stderr
    expected = (FIXTURES / f"{name}.expected").read_bytes().rstrip(b"\n") + b"\n"
    assert stdout == expected
    # The same test Cardinal runs (order-insensitive), as a second opinion.
    assert json.loads(stdout) == json.loads(expected)


def test_settings_names_follow_cardinal_build() -> None:
    assert settings_for("R003-procurement_method_details-x-5-y-10").endswith(
        "[R003]\n[R003.procurement_method_details]\nx = 5\ny = 10\n"
    )
    assert settings_for("R003-procurement_methods-open+selective").endswith(
        "[R003]\nprocurement_methods = open|selective\n"
    )
    assert settings_for("R038-tenderer").endswith("[R038]\n")

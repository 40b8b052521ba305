"""Model settings: scopes never overlap, the most specific override wins, bad files are clear errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tenderwatch.engine.config import ModelConfig, Scope, load_model_configs
from tenderwatch.errors import UserError

SECTIONS = [
    ("S1", "330106", "building"),
    ("S2", "330106", "water"),
    ("S3", "330212", "building"),
    ("S4", "330102", "building"),
]


def _assign(config: ModelConfig) -> dict[str, list[str]]:
    con = duckdb.connect()
    con.execute("CREATE TABLE sections (section_code VARCHAR, region_code VARCHAR, industry VARCHAR)")
    con.executemany("INSERT INTO sections VALUES (?, ?, ?)", SECTIONS)
    result: dict[str, list[str]] = {}
    for scope, predicate in config.scopes():
        rows = con.execute(f"SELECT section_code FROM sections WHERE {predicate} ORDER BY 1").fetchall()
        result[f"{scope.region}/{scope.industry}/{scope.mode}/{scope.params}"] = [r[0] for r in rows]
    return result


def test_every_section_lands_in_exactly_one_scope_and_the_most_specific_wins() -> None:
    config = ModelConfig(
        mode="active",
        params={"k": 1},
        overrides=(
            Scope("3301", None, "monitor", {"k": 2}),
            Scope("330106", "building", "active", {"k": 3}),
        ),
    )
    assigned = _assign(config)
    assert assigned == {
        "330106/building/active/{'k': 3}": ["S1"],
        "3301/None/monitor/{'k': 2}": ["S2", "S4"],
        "/None/active/{'k': 1}": ["S3"],
    }
    flat = [s for sections in assigned.values() for s in sections]
    assert sorted(flat) == ["S1", "S2", "S3", "S4"]


def test_settings_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "models.yaml"
    path.write_text(
        "C01:\n  mode: monitor\n  params: {cpu_common_companies: 9}\n"
        "  overrides:\n    - {region: '3301', industry: building, mode: active}\n",
        encoding="utf-8",
    )
    configs = load_model_configs(path)
    assert configs["C01"].mode == "monitor"
    assert configs["C01"].overrides[0] == Scope("3301", "building", "active", {})
    assert load_model_configs(tmp_path / "missing.yaml") == {}
    path.write_text("C01: [unclosed\n", encoding="utf-8")
    with pytest.raises(UserError):
        load_model_configs(path)
    path.write_text('C01:\n  overrides:\n    - {region: "33\' OR 1=1 --"}\n', encoding="utf-8")
    with pytest.raises(UserError):
        load_model_configs(path)


def test_parameters_are_typed_and_range_checked() -> None:
    from tenderwatch.detection import get_model

    model = get_model("C01")
    assert model.params({"cpu_common_companies": "7"}) == {"cpu_common_companies": 7}
    with pytest.raises(ValueError):
        model.params({"cpu_common_companies": 1})
    with pytest.raises(ValueError):
        model.params({"no_such_parameter": 1})

"""Loading: references resolve, and a broken file is reported with its name and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tenderwatch.guides.loader import COMMON_FILE, DATA_DIR, GuideError, load_guides, rule_in_sql


def _copy(tmp_path: Path, model_id: str = "C01") -> tuple[Path, dict[str, object]]:
    shutil.copy(DATA_DIR / COMMON_FILE, tmp_path / COMMON_FILE)
    data = yaml.safe_load((DATA_DIR / f"{model_id}.yaml").read_text(encoding="utf-8"))
    return tmp_path, data


def _write(folder: Path, data: dict[str, object], name: str = "C01.yaml") -> None:
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_copy_of_a_guide_loads_and_resolves_common_blocks(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    _write(folder, data)
    guide = load_guides(folder)["C01"]
    assert any(d.id == "transfer_police" for d in guide.disposal)
    assert any(i.id == "verify_source_records" for i in guide.items)
    assert guide.outcomes.transferred.requires_recipient


def test_missing_english_names_file_and_field(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    items = data["items"]
    assert isinstance(items, list)
    items[1]["check"]["en"] = "  "
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: items\[1\] \(id=platform_fingerprint_log\)\.check\.en"):
        load_guides(folder)


def test_unknown_common_reference_names_file_and_field(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    data["disposal"] = [{"ref": "no_such_measure"}]
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: disposal\[0\]\.ref: unknown disposal reference"):
        load_guides(folder)


def test_unfounded_without_benign_requirement_is_rejected(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    outcomes = data["outcomes"]
    assert isinstance(outcomes, dict)
    outcomes["unfounded"]["requires_benign"] = False
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: outcomes.*benign"):
        load_guides(folder)


def test_a_rule_the_model_never_emits_is_rejected(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    rules = data["rules"]
    assert isinstance(rules, list)
    rules.append({"id": "same_phase_of_moon", "text": {"zh": "月相", "en": "moon"}})
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: rules\[\d+\] \(id=same_phase_of_moon\)"):
        load_guides(folder)


def test_an_item_naming_an_undeclared_rule_is_rejected(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    items = data["items"]
    assert isinstance(items, list)
    items[1]["rules"] = ["not_declared"]
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: .*not_declared"):
        load_guides(folder)


def test_unknown_keys_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    data["remarks"] = "typo"
    _write(folder, data)
    with pytest.raises(GuideError, match=r"C01\.yaml: remarks"):
        load_guides(folder)
    (folder / "C01.yaml").write_text("model_id: [C01\n", encoding="utf-8")
    with pytest.raises(GuideError, match=r"C01\.yaml: not valid YAML"):
        load_guides(folder)


def test_file_name_must_match_the_model(tmp_path: Path) -> None:
    folder, data = _copy(tmp_path)
    _write(folder, data, name="C02.yaml")
    with pytest.raises(GuideError, match=r"C02\.yaml: model_id"):
        load_guides(folder)


def test_rule_in_sql_understands_prefixed_names() -> None:
    sql = "SELECT 'same_' || kind AS rule FROM (SELECT 'rsid' AS kind) UNION SELECT 'cover'"
    assert rule_in_sql("same_rsid", sql) and rule_in_sql("cover", sql)
    assert not rule_in_sql("same_pdf", sql) and not rule_in_sql("rsid_x", sql)

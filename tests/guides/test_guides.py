"""Every detection model has exactly one complete, bilingual verification guide in sync with the model."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from tenderwatch.detection import MODELS
from tenderwatch.engine.base import DetectionModel
from tenderwatch.guides.loader import COMMON_FILE, DATA_DIR, all_guides, get_guide
from tenderwatch.guides.schema import OUTCOME_KEYS, Guide, Text

IDS = [m.ID for m in MODELS]


def test_every_model_has_exactly_one_guide_and_every_guide_a_model() -> None:
    assert [g.model_id for g in all_guides()] == IDS


def _texts(node: Any) -> list[Text]:
    if isinstance(node, Text):
        return [node]
    if isinstance(node, BaseModel):
        return [t for name in type(node).model_fields for t in _texts(getattr(node, name))]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_guide_is_complete_and_matches_its_model(model: type[DetectionModel]) -> None:
    guide = get_guide(model.ID)
    assert (guide.title.zh, guide.title.en) == (model.NAME_ZH, model.NAME_EN)
    assert guide.model_version == model.VERSION, (
        f"{model.ID} is now version {model.VERSION}: review its guide, then set model_version"
    )
    texts = _texts(guide)
    assert texts and all(t.zh.strip() and t.en.strip() for t in texts)
    assert len(guide.items) >= 3 and guide.benign and guide.disposal
    # The model's own benign explanations are the minimum the verifier must rule out.
    stated = {(b.text.zh, b.text.en) for b in guide.benign}
    missing = [pair for pair in model.BENIGN if pair not in stated]
    assert not missing, f"{model.ID}: BENIGN entries missing from the guide: {missing}"
    for key in OUTCOME_KEYS:
        assert getattr(guide.outcomes, key).criteria.zh
    assert guide.outcomes.unfounded.requires_benign and guide.outcomes.unfounded.requires_evidence
    # Every conclusion has at least one disposal option, and 查否 closes the warning.
    for key in OUTCOME_KEYS:
        assert any(key in d.applies_to for d in guide.disposal), f"{model.ID}: no disposal after {key}"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_guide_has_model_specific_checks(model: type[DetectionModel]) -> None:
    """Shared items (source records, prior record) do not count: a guide says how to verify *this* model."""
    shared = set(yaml.safe_load((DATA_DIR / COMMON_FILE).read_text(encoding="utf-8"))["items"])
    own = [i for i in get_guide(model.ID).items if i.id not in shared]
    assert len(own) >= 3


def test_guides_are_loaded_once() -> None:
    assert get_guide("c01") is get_guide("C01")
    with pytest.raises(KeyError):
        get_guide("C99")


def _rules_of(guide: Guide) -> set[str]:
    return {r.id for r in guide.rules}


@pytest.mark.slow
def test_guides_declare_every_rule_the_synthetic_province_fires(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from tenderwatch.engine.config import ModelConfig
    from tenderwatch.engine.runner import run_model
    from tests.detection.conftest import build_province

    province = build_province(tmp_path_factory.mktemp("guides-tiny"))
    for model in MODELS:
        fired = {r for o in run_model(province.duck(), model, ModelConfig()) for h in o.hits for r in h.rules}
        undeclared = fired - _rules_of(get_guide(model.ID))
        assert not undeclared, f"{model.ID} fires rules its guide does not declare: {sorted(undeclared)}"


def test_every_shared_block_is_used_and_valid() -> None:
    """common.yaml has nothing stale: each entry is used by a guide (and so validated there)."""
    common = yaml.safe_load((DATA_DIR / COMMON_FILE).read_text(encoding="utf-8"))
    guides = all_guides()
    used = {
        "legal_basis": {c.id for g in guides for c in g.legal_basis},
        "items": {i.id for g in guides for i in g.items},
        "benign": {b.id for g in guides for b in g.benign},
        "disposal": {d.id for g in guides for d in g.disposal},
    }
    for section, ids in used.items():
        unused = set(common[section]) - ids
        assert not unused, f"common.yaml {section} not used by any guide: {sorted(unused)}"
    for name, ids in common["disposal_sets"].items():
        assert set(ids) <= set(common["disposal"]), name


def test_checklist_and_disposal_follow_the_warning() -> None:
    guide = get_guide("C04")
    bond_only = {i.id for i in guide.items_for(["same_payer_account"])}
    assert "bond_receipts" in bond_only and "basic_account_record" not in bond_only
    assert {i.id for i in guide.items_for([])} == {i.id for i in guide.items}
    assert [d.id for d in guide.disposal_for("unfounded")] == ["close_no_action"]
    assert all("transferred" in d.applies_to for d in guide.disposal_for("transferred"))
    assert "group_treasury" in guide.benign_ids()

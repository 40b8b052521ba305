"""The model library as a whole: registry, docs, both engines agree, quality on the tiny province."""

from __future__ import annotations

from typing import Any

import pytest

from tenderwatch.detection import MODELS
from tenderwatch.engine.base import CATEGORIES, DetectionModel
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.docs import DOCS_DIR, render_markdown
from tenderwatch.engine.evaluate import present_units, score
from tenderwatch.engine.runner import run_model
from tenderwatch.engine.spark import SparkBackend
from tests.detection.conftest import Province

IDS = [m.ID for m in MODELS]


def test_ids_are_unique_and_metadata_complete() -> None:
    assert len(IDS) == len(set(IDS))
    for model in MODELS:
        assert model.NAME_ZH and model.NAME_EN and model.LEGAL_BASIS and model.DATASETS
        assert set(model.CATEGORIES) <= set(CATEGORIES)
        assert model.SEVERITY in ("red", "orange", "yellow")


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_every_model_has_its_current_page(model: type[DetectionModel]) -> None:
    page = DOCS_DIR / f"{model.ID}.md"
    assert page.is_file(), f"run `python -m tenderwatch.engine.docs` to write {page.name}"
    assert page.read_text(encoding="utf-8") == render_markdown(model), f"{page.name} is stale; regenerate it"


def _hits(province: Province, model: type[DetectionModel]) -> list[Any]:
    return [h for o in run_model(province.duck(), model, ModelConfig()) for h in o.hits]


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_model_finds_its_planted_schemes_on_the_tiny_province(
    tiny: Province, model: type[DetectionModel]
) -> None:
    con = tiny.con()
    try:
        figures = score(model, _hits(tiny, model), tiny.truth, present_units(con, model))
    finally:
        con.close()
    assert figures["planted"] > 0, "the tiny province plants every model's scheme"
    assert figures["recall"] >= 0.95, figures
    assert figures["precision"] >= 0.90, figures


@pytest.mark.slow
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_duckdb_and_spark_give_identical_hits(
    tiny: Province, spark: Any, spark_lake: SparkBackend, model: type[DetectionModel]
) -> None:
    duck = _hits(tiny, model)
    on_spark = [h for o in run_model(spark_lake, model, ModelConfig()) for h in o.hits]
    assert on_spark == duck
    assert duck, "compare on a model that found something"


@pytest.fixture(scope="module")
def spark_lake(tiny: Province, spark: Any) -> SparkBackend:
    from tenderwatch.catalog import get_catalog

    return SparkBackend(spark, get_catalog(), tiny.batches)

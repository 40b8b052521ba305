"""The classifier: the numpy scorer equals scikit-learn's, training is reproducible, the JSON is data."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from tenderwatch.errors import UserError
from tenderwatch.screens.features import FEATURES, TenderTable, percentile_ranks, tender_table
from tenderwatch.screens.markets import MARKETS, load_market
from tenderwatch.screens.model import MODEL_PATH, SELECTED, LogitModel, design_matrix, load_model
from tenderwatch.screens.train import fit, fit_sklearn


@cache
def _table(key: str) -> TenderTable:
    return tender_table(load_market(next(m for m in MARKETS if m.key == key)).bids)


def _small() -> dict[str, TenderTable]:
    return {k: _table(k) for k in ("brazil", "switzerland_ticino")}


def test_percentile_ranks_average_ties() -> None:
    ranks = percentile_ranks(np.array([[3.0], [1.0], [3.0], [2.0]]))
    # Mid-ranks 4 (ties at 3 and 4 → 3.5), 1, 3.5, 2; then (rank − 0.5) / 4.
    assert ranks[:, 0].tolist() == [0.75, 0.125, 0.75, 0.375]


def test_numpy_scorer_equals_sklearn_predict_proba() -> None:
    tables = _small()
    parts = [(design_matrix(t, SELECTED), t.labels) for t in tables.values()]
    fitted, prevalence = fit_sklearn([(x, y) for x, y in parts if y is not None])
    ours = LogitModel(
        SELECTED, tuple(float(c) for c in fitted.coef_[0]), float(fitted.intercept_[0]), prevalence
    )
    for table in tables.values():
        x = design_matrix(table, SELECTED)
        np.testing.assert_allclose(
            ours.score_table(table), fitted.predict_proba(x)[:, 1], rtol=1e-12, atol=1e-15
        )


def test_stored_rounding_does_not_move_scores() -> None:
    tables = _small()
    stored = LogitModel.from_json(fit(tables).to_json())
    parts = [(design_matrix(t, SELECTED), t.labels) for t in tables.values()]
    fitted, _ = fit_sklearn([(x, y) for x, y in parts if y is not None])
    for table in tables.values():
        np.testing.assert_allclose(
            stored.score_table(table), fitted.predict_proba(design_matrix(table, SELECTED))[:, 1], atol=1e-9
        )


def test_training_twice_gives_identical_json() -> None:
    assert fit(_small()).to_json() == fit(_small()).to_json()


@pytest.mark.slow
def test_shipped_model_is_what_train_produces() -> None:
    tables = {m.key: _table(m.key) for m in MARKETS}
    assert fit(tables).to_json() == MODEL_PATH.read_bytes()


def test_shipped_model_is_plain_data_and_scores_in_range() -> None:
    model = load_model()
    assert model.features == SELECTED and len(model.coef) == len(SELECTED)
    scores = model.score_table(_table("brazil"))
    assert scores.shape == (101,) and ((scores > 0) & (scores < 1)).all()


def test_scores_do_not_depend_on_the_markets_scale() -> None:
    """Normalisation within the file: the same market priced in another currency scores the same."""
    table = _table("brazil")
    rescaled = TenderTable(table.tender_ids, table.raw.copy(), table.labels)
    rescaled.raw[:, FEATURES.index("log_mean_bid")] += np.log(0.15)  # in euros instead of reais
    model = load_model()
    np.testing.assert_array_equal(model.score_table(table), model.score_table(rescaled))


def test_invalid_model_json_is_a_user_error() -> None:
    with pytest.raises(UserError):
        LogitModel.from_json(b'{"format": "pickle"}')
    with pytest.raises(UserError):
        LogitModel.from_json(b"not json")

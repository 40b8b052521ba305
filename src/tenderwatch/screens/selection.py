"""Honest measurement of the structural screens: feature selection nested inside leave-one-market-out.

Picking features by their leave-one-market-out (LOMO) figures and then quoting those figures is
optimistic: the left-out market helped choose the model. Here the left-out market takes no part in the
choice. For each outer market, forward selection starts from the shipped features and adds the
structural screen that most raises the *inner* LOMO mean ROC AUC over the four training markets
(train on three, test on the fourth), while it gains more than ``MIN_GAIN``; the chosen set is then
trained on the four and tested on the fifth. Used by ``tenderwatch bench screens``; the shipped model
is unchanged because no structural screen transferred (docs/screens.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score

from tenderwatch.screens.features import TenderTable
from tenderwatch.screens.model import SELECTED
from tenderwatch.screens.structure import STRUCTURE_FEATURES
from tenderwatch.screens.train import Metrics, fit, metrics

# Below this the gain in inner mean AUC is noise (a few tenders of Brazil move it by 0.002).
MIN_GAIN = 0.002


@dataclass(frozen=True, slots=True)
class NestedResult:
    metrics: Metrics
    added: tuple[str, ...]  # structural screens the inner selection added to the shipped features
    inner_auc: float  # inner LOMO mean ROC AUC of the chosen set over the training markets


def lomo_auc(markets: dict[str, TenderTable], features: tuple[str, ...]) -> dict[str, float]:
    """ROC AUC of each market when the others train the model (labels must be present)."""
    out: dict[str, float] = {}
    for key, table in markets.items():
        model = fit({k: t for k, t in markets.items() if k != key}, features)
        assert table.labels is not None  # fit() above already refused unlabelled markets
        out[key] = float(roc_auc_score(table.labels, model.score_table(table)))
    return out


def forward_select(
    markets: dict[str, TenderTable], pool: tuple[str, ...] = STRUCTURE_FEATURES
) -> tuple[tuple[str, ...], float]:
    """Greedy forward selection from the shipped features by inner LOMO mean ROC AUC."""
    chosen = SELECTED
    best = float(np.mean(list(lomo_auc(markets, chosen).values())))
    while True:
        trials = [
            (float(np.mean(list(lomo_auc(markets, (*chosen, f)).values()))), f)
            for f in pool
            if f not in chosen
        ]
        if not trials:
            return chosen, best
        score, feature = max(trials)
        if score <= best + MIN_GAIN:
            return chosen, best
        chosen, best = (*chosen, feature), score


def nested_lomo(markets: dict[str, TenderTable]) -> dict[str, NestedResult]:
    """Outer LOMO with the feature choice made on the four training markets only."""
    results: dict[str, NestedResult] = {}
    for key, table in markets.items():
        training = {k: t for k, t in markets.items() if k != key}
        features, inner = forward_select(training)
        model = fit(training, features)
        assert table.labels is not None
        results[key] = NestedResult(
            metrics(table.labels, model.score_table(table), model.threshold),
            features[len(SELECTED) :],
            inner,
        )
    return results

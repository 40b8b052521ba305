"""Fitting the classifier (scikit-learn, training only) and measuring it.

* :func:`fit` trains on one or more markets, each normalised within itself, every market weighing the
  same in total (otherwise GR/SG's 4,175 tenders would decide the model and Brazil's 101 would not count).
* :func:`cross_validate` is the within-file check of ``screens evaluate``: stratified K-fold over tenders
  (one row per tender, so the folds are grouped by tender), seeded.
* :func:`leave_one_market_out` trains on four shipped markets and tests on the fifth.

Balanced accuracy cuts the probability at the training prevalence (stored as the model's threshold),
not at 0.5: a logistic regression's scores average to the training prevalence, so 0.5 would call almost
nothing suspicious in a market like Japan (11 % collusive) and almost everything in Ticino (82 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, balanced_accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from tenderwatch.errors import UserError
from tenderwatch.screens.features import TenderTable
from tenderwatch.screens.model import SELECTED, LogitModel, design_matrix, round_significant
from tenderwatch.screens.structure import STRUCTURE_FEATURES

# Within one file the number of bids and the structural (co-bidding, win-rate) screens are fair signals:
# their direction is learnt from that market itself. They are left out of the shipped model only because
# that direction differs between markets (docs/screens.md, "Structural screens").
WITHIN_FEATURES: tuple[str, ...] = (*SELECTED, "log_n", *STRUCTURE_FEATURES)
C = 1.0  # L2 strength; LOMO AUC is flat between 0.05 and 1 on these features
SEED = 0


@dataclass(frozen=True, slots=True)
class Metrics:
    roc_auc: float
    pr_auc: float
    balanced_accuracy: float
    tenders: int
    positives: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "roc_auc": round(self.roc_auc, 4),
            "pr_auc": round(self.pr_auc, 4),
            "balanced_accuracy": round(self.balanced_accuracy, 4),
            "tenders": self.tenders,
            "positives": self.positives,
        }


def _labels(table: TenderTable) -> NDArray[np.int64]:
    if table.labels is None:
        raise UserError(
            "报价文件缺少 label 列（或部分行为空），无法训练或评估",
            "The bids file lacks a label column (or some rows leave it empty): cannot train or evaluate",
        )
    return table.labels


def fit_sklearn(
    parts: list[tuple[NDArray[np.float64], NDArray[np.int64]]],
) -> tuple[LogisticRegression, float]:
    """Fit on (design matrix, labels) parts, one per market, each part weighing the same."""
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    weights = np.concatenate([np.full(len(p[1]), 1.0 / len(p[1])) for p in parts])
    weights = weights / weights.mean()
    model = LogisticRegression(C=C, max_iter=10_000, tol=1e-10)
    model.fit(x, y, sample_weight=weights)
    prevalence = float(np.average(y, weights=weights))
    return model, prevalence


def fit(markets: dict[str, TenderTable], features: tuple[str, ...] = SELECTED) -> LogitModel:
    """Train the shipped model's form on the given markets (each one normalised within itself)."""
    parts = [(design_matrix(t, features), _labels(t)) for t in markets.values()]
    model, prevalence = fit_sklearn(parts)
    training = {
        "markets": {
            key: {"tenders": len(t), "positives": int(_labels(t).sum())} for key, t in markets.items()
        },
        "estimator": f"L2 logistic regression, C={C}, each market weighing the same",
    }
    return LogitModel(
        features=features,
        coef=tuple(round_significant(float(c)) for c in model.coef_[0]),
        intercept=round_significant(float(model.intercept_[0])),
        threshold=round_significant(prevalence),
        training=training,
    )


def metrics(labels: NDArray[np.int64], scores: NDArray[np.float64], threshold: float) -> Metrics:
    if len(set(labels.tolist())) < 2:
        raise UserError(
            "评估需要同时有串通与非串通的标段", "Evaluation needs both collusive and clean tenders"
        )
    return Metrics(
        roc_auc=float(roc_auc_score(labels, scores)),
        pr_auc=float(average_precision_score(labels, scores)),
        balanced_accuracy=float(balanced_accuracy_score(labels, scores >= threshold)),
        tenders=len(labels),
        positives=int(labels.sum()),
    )


def cross_validate(
    table: TenderTable, folds: int = 5, seed: int = SEED, features: tuple[str, ...] = WITHIN_FEATURES
) -> Metrics:
    """Out-of-fold metrics within one file (the file is one market)."""
    labels = _labels(table)
    smallest = int(min(labels.sum(), len(labels) - labels.sum()))
    if folds < 2 or folds > smallest:
        raise UserError(
            f"折数须在 2 到 {max(smallest, 2)} 之间（较少一类的标段数），当前为 {folds}",
            f"Folds must be between 2 and {max(smallest, 2)} (tenders in the smaller class); got {folds}",
        )
    # Ranks use the whole file but no label, as `score` does on a new file; only the fit sees the folds.
    x = design_matrix(table, features)
    scores = np.zeros(len(labels))
    cuts = np.zeros(len(labels))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(x, labels):
        model, prevalence = fit_sklearn([(x[train], labels[train])])
        scores[test] = model.predict_proba(x[test])[:, 1]
        cuts[test] = prevalence
    # Each fold's own training prevalence is its cut; the folds are stratified, so they barely differ.
    return metrics(labels, scores, float(cuts.mean()))


def leave_one_market_out(
    markets: dict[str, TenderTable], features: tuple[str, ...] = SELECTED
) -> dict[str, Metrics]:
    """For each market: train on the others, score it with the numpy scorer, measure."""
    results: dict[str, Metrics] = {}
    for key, table in markets.items():
        model = fit({k: t for k, t in markets.items() if k != key}, features)
        results[key] = metrics(_labels(table), model.score_table(table), model.threshold)
    return results

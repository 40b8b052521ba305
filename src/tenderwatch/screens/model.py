"""The shipped collusion classifier as data (JSON), and its scorer in plain numpy.

The model is a logistic regression on within-market percentile ranks of a few tender-level features
(see :mod:`tenderwatch.screens.features`). It is stored as its coefficients, so scoring needs no
scikit-learn and no pickle: the JSON is read on any version, and a test checks the numpy scorer
against scikit-learn's ``predict_proba`` on the same fit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tenderwatch.errors import UserError
from tenderwatch.screens.features import FEATURES, TenderTable, percentile_ranks

MODEL_PATH = Path(__file__).parent / "data" / "model.json"
FORMAT = "tenderwatch-screens-logit/1"
# Chosen by leave-one-market-out ROC AUC (docs/screens.md). log(number of bids) is left out although it
# is informative within markets: its direction flips between them (more bidders mark collusion in
# GR/SG and Ohio, fewer in Brazil), so it cannot transfer. The full 37-feature set transfers no better
# and trees on the same ranks transfer worse.
SELECTED: tuple[str, ...] = ("cv", "rd", "sub_rd_median", "log_mean_bid")


@dataclass(frozen=True, slots=True)
class LogitModel:
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # the training prevalence: the cut for "suspicious" in balanced accuracy
    training: dict[str, Any] = field(default_factory=dict)

    def design(self, table: TenderTable) -> NDArray[np.float64]:
        """The model's inputs for a table that is one market: ranks within it, centred on 0."""
        return design_matrix(table, self.features)

    def decision(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z: NDArray[np.float64] = x @ np.array(self.coef) + self.intercept
        return z

    def predict(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = self.decision(x)
        # 1 / (1 + e^-z), written so a large |z| neither overflows nor loses the small probability.
        e = np.exp(-np.abs(z))
        out: NDArray[np.float64] = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return out

    def score_table(self, table: TenderTable) -> NDArray[np.float64]:
        return self.predict(self.design(table)) if len(table) else np.zeros(0)

    def to_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "normalisation": "percentile rank within the market (mid-rank of ties, (rank - 0.5) / n) minus 0.5",
            "features": list(self.features),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "training": self.training,
        }
        return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()

    @classmethod
    def from_json(cls, text: bytes | str) -> LogitModel:
        try:
            body = json.loads(text)
            if body.get("format") != FORMAT:
                raise ValueError(f"format {body.get('format')!r} is not {FORMAT}")
            features = tuple(str(f) for f in body["features"])
            unknown = [f for f in features if f not in FEATURES]
            coef = tuple(float(c) for c in body["coef"])
            if unknown or len(coef) != len(features):
                raise ValueError(
                    f"unknown features {unknown} or {len(coef)} coefficients for {len(features)}"
                )
            return cls(
                features, coef, float(body["intercept"]), float(body["threshold"]), dict(body["training"])
            )
        except (ValueError, KeyError, TypeError) as error:
            raise UserError(f"模型文件无效：{error}", f"Invalid model file: {error}") from error


def design_matrix(table: TenderTable, features: tuple[str, ...]) -> NDArray[np.float64]:
    columns = [FEATURES.index(f) for f in features]
    return percentile_ranks(table.raw[:, columns]) - 0.5


def round_significant(value: float, digits: int = 12) -> float:
    """Stored numbers are rounded so the JSON does not flip in its last bits between BLAS builds."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def load_model(path: Path | None = None) -> LogitModel:
    target = path or MODEL_PATH
    if not target.is_file():
        raise UserError(f"找不到模型文件：{target}", f"Model file not found: {target}")
    return LogitModel.from_json(target.read_bytes())

"""``tenderwatch bench detection``: each model's precision and recall against the planted truth, and
which benign look-alikes it resists (no false positive on a look-alike's units) or cannot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tenderwatch.bench.province import imported
from tenderwatch.catalog import get_catalog
from tenderwatch.detection import MODELS
from tenderwatch.engine.base import DetectionModel
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.engine.evaluate import present_units, score, units_flagged, units_planted
from tenderwatch.engine.runner import run_model
from tenderwatch.lake.views import connect


def _lookalike_units(model: type[DetectionModel], entry: dict[str, Any]) -> set[tuple[str, ...]]:
    if model.SUBJECT == "section":
        return {(s, e) for s in entry["sections"] for e in entry["companies"] + entry.get("persons", [])}
    if model.SUBJECT == "person":
        return {(p,) for p in entry.get("persons", [])}
    return {(c,) for c in entry["companies"]}


def evaluate_models(con: Any, truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}
    backend = DuckBackend(con)
    for model in MODELS:
        hits = [h for o in run_model(backend, model, ModelConfig()) for h in o.hits]
        result: dict[str, Any] = dict(score(model, hits, truth, present_units(con, model)))
        false_positives = units_flagged(model, hits) - units_planted(model, truth)
        resists: list[str] = []
        cannot: list[str] = []
        for entry in truth.get("lookalikes", []):
            if model.ID not in entry.get("resembles", []):
                continue
            (cannot if false_positives & _lookalike_units(model, entry) else resists).append(entry["kind"])
        result["lookalikes_resisted"] = sorted(set(resists) - set(cannot))
        result["lookalikes_not_resisted"] = sorted(set(cannot))
        figures[model.ID] = result
    return figures


def run_detection_bench(console: Console, scale: str, seed: int, json_out: Path | None) -> dict[str, Any]:
    province = imported(console, scale, seed)
    con = connect(get_catalog(), province.batches())
    try:
        figures = evaluate_models(con, province.truth)
    finally:
        con.close()
    table = Table("model", "planted", "flagged", "TP", "precision", "recall", "look-alikes resisted / not")
    for model_id, f in figures.items():
        table.add_row(
            model_id,
            str(f["planted"]),
            str(f["flagged"]),
            str(f["true_positive"]),
            f"{f['precision']:.3f}",
            f"{f['recall']:.3f}",
            f"{', '.join(f['lookalikes_resisted']) or '-'} / {', '.join(f['lookalikes_not_resisted']) or '-'}",
        )
    console.print(table)
    report = {"scale": scale, "seed": seed, "models": figures}
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return report

"""`tenderwatch screens score / evaluate / convert` through the installed command."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from tenderwatch.screens.markets import MARKETS, market_path

TENDERWATCH = Path(sys.executable).parent / "tenderwatch"
SOURCE = Path(__file__).parent / "data" / "DB_Collusion_Brazil_processed.csv"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # Wide columns: the CLI's error console wraps at the terminal width, which would split messages.
    env = {**os.environ, "COLUMNS": "500"}
    return subprocess.run(
        [str(TENDERWATCH), "screens", *args], capture_output=True, text=True, check=False, env=env
    )


def _brazil(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "brazil.csv"
    brazil = next(m for m in MARKETS if m.key == "brazil")
    path.write_text(gzip.decompress(market_path(brazil).read_bytes()).decode() + extra, encoding="utf-8")
    return path


def test_score_writes_one_probability_per_tender_with_two_bids(tmp_path: Path) -> None:
    # A lone bid (T-solo) gets no score; a bad row is reported with its line and skipped.
    bids = _brazil(tmp_path, "T-solo,X,100,0,0\nT-bad,Y,oops,0,0\n")
    out = tmp_path / "scores.csv"
    result = _run("score", "--bids", str(bids), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "685 rows received, 684 accepted, 1 rejected" in result.stderr
    assert "line 686, amount" in result.stderr
    with out.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["tender_id", "score"]
        rows = list(reader)
    assert len(rows) == 101 and len({r[0] for r in rows}) == 101
    assert "T-solo" not in {r[0] for r in rows}
    assert all(0.0 < float(r[1]) < 1.0 for r in rows)


def test_evaluate_writes_the_metrics(tmp_path: Path) -> None:
    out = tmp_path / "metrics.json"
    result = _run("evaluate", "--bids", str(_brazil(tmp_path)), "--folds", "5", "--json", str(out))
    assert result.returncode == 0, result.stderr
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert set(metrics) == {"roc_auc", "pr_auc", "balanced_accuracy", "tenders", "positives"}
    assert (metrics["tenders"], metrics["positives"]) == (101, 33)
    for name in ("roc_auc", "pr_auc", "balanced_accuracy"):
        assert 0.0 <= metrics[name] <= 1.0
    # Screens do carry signal within this market: well above chance out of fold.
    assert metrics["roc_auc"] > 0.75
    # Seeded: the same call gives the same figures.
    again = tmp_path / "again.json"
    _run("evaluate", "--bids", str(_brazil(tmp_path)), "--json", str(again))
    assert json.loads(again.read_text(encoding="utf-8")) == metrics


def test_evaluate_without_labels_is_one_line_user_error(tmp_path: Path) -> None:
    bids = tmp_path / "nolabel.csv"
    bids.write_text("tender_id,bidder_id,amount\nT1,A,1\nT1,B,2\n", encoding="utf-8")
    result = _run("evaluate", "--bids", str(bids), "--json", str(tmp_path / "m.json"))
    assert result.returncode == 2
    assert "label" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "m.json").exists()


def test_too_many_folds_is_a_user_error(tmp_path: Path) -> None:
    result = _run(
        "evaluate", "--bids", str(_brazil(tmp_path)), "--folds", "50", "--json", str(tmp_path / "m.json")
    )
    assert result.returncode == 2 and "Folds must be between 2 and 33" in result.stderr


def test_convert_reproduces_the_packaged_market(tmp_path: Path) -> None:
    out = tmp_path / "brazil.csv.gz"
    result = _run("convert", "--source", str(SOURCE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    brazil = next(m for m in MARKETS if m.key == "brazil")
    assert out.read_bytes() == market_path(brazil).read_bytes()

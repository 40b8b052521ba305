"""`tenderwatch screens …`: score, evaluate and train the tender-level collusion classifier."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tenderwatch.errors import UserError
from tenderwatch.screens.bidsio import BidsFile, read_bids, write_bids

screens_app = typer.Typer(help="报价筛查 / Price screens and the collusion classifier", no_args_is_help=True)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)
SHOWN_PROBLEMS = 20  # bad rows printed in full; the rest are counted


def _report(path: Path, data: BidsFile) -> None:
    """One summary line, then the bad rows (line, field, reason) on stderr."""
    err_console.print(
        f"{path}: 读取 {data.received} 行，接受 {data.accepted}，拒绝 {data.rejected} / "
        f"{data.received} rows received, {data.accepted} accepted, {data.rejected} rejected",
        highlight=False,
    )
    for problem in data.problems[:SHOWN_PROBLEMS]:
        err_console.print(
            f"  第 {problem.line} 行 / line {problem.line}, {problem.field}: {problem.reason}",
            highlight=False,
        )
    if len(data.problems) > SHOWN_PROBLEMS:
        more = len(data.problems) - SHOWN_PROBLEMS
        err_console.print(f"  另有 {more} 行被拒绝 / {more} more rejected rows", highlight=False)


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"无法写入 {path}：{error}", f"Cannot write {path}: {error}") from error


@screens_app.command("score")
def score(
    bids: Annotated[Path, typer.Option("--bids", help="tender_id,bidder_id,amount[,winner,label] CSV")],
    out: Annotated[Path, typer.Option("--out", help="写出 tender_id,score / where to write tender_id,score")],
    model: Annotated[
        Path | None, typer.Option(help="模型 JSON（默认内置）/ model JSON (default: shipped)")
    ] = None,
) -> None:
    """打分 / Score every tender with ≥ 2 bids with the shipped model (higher = more suspicious)."""
    from tenderwatch.screens.features import tender_table
    from tenderwatch.screens.model import load_model

    data = read_bids(bids)
    _report(bids, data)
    fitted = load_model(model)
    table = tender_table(data.bids)
    scores = fitted.score_table(table)
    try:
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["tender_id", "score"])
            for tender, value in zip(table.tender_ids, scores, strict=True):
                writer.writerow([tender, f"{value:.6f}"])
    except OSError as error:
        raise UserError(f"无法写入 {out}：{error}", f"Cannot write {out}: {error}") from error
    console.print(
        f"已为 {len(table)} 个标段打分 → {out} / scored {len(table)} tenders → {out}", highlight=False
    )


@screens_app.command("evaluate")
def evaluate(
    bids: Annotated[
        Path, typer.Option("--bids", help="带 label 列的报价 CSV / bids CSV with a label column")
    ],
    json_out: Annotated[Path, typer.Option("--json", help="写出评估指标 / where to write the metrics")],
    folds: Annotated[int, typer.Option(help="交叉验证折数 / cross-validation folds")] = 5,
    seed: Annotated[int, typer.Option(help="折划分的随机种子 / seed of the fold split")] = 0,
) -> None:
    """评估 / Train and test within the file: tender-level stratified K-fold cross-validation."""
    from tenderwatch.screens.features import tender_table
    from tenderwatch.screens.train import cross_validate

    data = read_bids(bids)
    _report(bids, data)
    result = cross_validate(tender_table(data.bids), folds, seed).as_dict()
    _write_text(json_out, json.dumps(result, indent=2) + "\n")
    console.print(
        f"ROC AUC {result['roc_auc']:.3f}  PR-AUC {result['pr_auc']:.3f}  "
        f"平衡准确率 / balanced accuracy {result['balanced_accuracy']:.3f}  "
        f"标段 / tenders {result['tenders']}  串通 / positives {result['positives']} → {json_out}",
        highlight=False,
    )


@screens_app.command("train")
def train(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="模型 JSON（默认覆盖内置模型）/ model JSON (default: the shipped one)"),
    ] = None,
) -> None:
    """训练 / Retrain the shipped model on the five shipped markets (reproducible: same data, same JSON)."""
    from tenderwatch.screens.features import tender_table
    from tenderwatch.screens.markets import MARKETS, load_market
    from tenderwatch.screens.model import MODEL_PATH
    from tenderwatch.screens.train import fit

    tables = {m.key: tender_table(load_market(m).bids) for m in MARKETS}
    model = fit(tables)
    target = out or MODEL_PATH
    try:
        target.write_bytes(model.to_json())
    except OSError as error:
        raise UserError(f"无法写入 {target}：{error}", f"Cannot write {target}: {error}") from error
    tenders = sum(len(t) for t in tables.values())
    console.print(
        f"已用 {len(tables)} 个市场、{tenders} 个标段训练 → {target} / trained on {len(tables)} markets, {tenders} tenders → {target}",
        highlight=False,
    )


@screens_app.command("convert")
def convert(
    source: Annotated[
        Path, typer.Option("--source", help="作者格式的 DB_Collusion_*_processed.csv / the authors' file")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="规范格式 CSV（.gz 则压缩）/ canonical CSV (.gz compresses)")
    ],
) -> None:
    """转换 / Convert a García Rodríguez et al. (2022) market file into the canonical bids CSV."""
    from tenderwatch.screens.markets import convert_source

    rows = convert_source(source)
    try:
        write_bids(out, rows)
    except OSError as error:
        raise UserError(f"无法写入 {out}：{error}", f"Cannot write {out}: {error}") from error
    console.print(f"已转换 {len(rows)} 条报价 → {out} / converted {len(rows)} bids → {out}", highlight=False)

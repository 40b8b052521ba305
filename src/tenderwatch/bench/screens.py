"""`tenderwatch bench screens`: leave-one-market-out quality of the collusion classifier."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the screens stack (scikit-learn) is imported lazily, only when the bench runs
    from tenderwatch.screens.markets import Market
    from tenderwatch.screens.selection import NestedResult
    from tenderwatch.screens.train import Metrics


def run_screens_bench(
    console: Console, folds: int, json_out: Path | None, structure: bool = False
) -> dict[str, Any]:
    """Per market: train on the other four and test on it (LOMO), and 5-fold CV within it.

    ``structure`` adds the structural screens' experiment (nested selection: about a minute more).
    """
    from tenderwatch.screens.features import tender_table
    from tenderwatch.screens.markets import MARKETS, load_market
    from tenderwatch.screens.model import SELECTED
    from tenderwatch.screens.selection import nested_lomo
    from tenderwatch.screens.structure import STRUCTURE_FEATURES
    from tenderwatch.screens.train import WITHIN_FEATURES, cross_validate, leave_one_market_out

    started = time.perf_counter()
    tables = {m.key: tender_table(load_market(m).bids) for m in MARKETS}
    features_s = time.perf_counter() - started
    lomo = leave_one_market_out(tables)
    # Within each market: the shipped features (the same approach) and `screens evaluate`'s (+ log n).
    within = {key: cross_validate(table, folds, features=SELECTED) for key, table in tables.items()}
    evaluate = {key: cross_validate(table, folds) for key, table in tables.items()}
    if structure:
        # The structural screens (not in the shipped model): chosen honestly inside each outer fold, all of
        # them added, and within each market where the direction is learnt from the market itself.
        nested = nested_lomo(tables)
        with_structure = (*SELECTED, *STRUCTURE_FEATURES)
        all_structure = leave_one_market_out(tables, with_structure)
        within_structure = {
            key: cross_validate(
                table, folds, features=tuple(dict.fromkeys((*WITHIN_FEATURES, *STRUCTURE_FEATURES)))
            )
            for key, table in tables.items()
        }
    result: dict[str, Any] = {
        "folds": folds,
        "shipped_features": list(SELECTED),
        "evaluate_features": list(WITHIN_FEATURES),
        "features_seconds": round(features_s, 2),
        "markets": {},
    }
    table = Table(title="留一市场外验证 / Leave-one-market-out (train on 4, test on the 5th)")
    for column in (
        "市场 / market",
        "标段 / tenders",
        "串通率 / prevalence",
        "LOMO ROC AUC",
        "LOMO PR-AUC",
        "LOMO bal. acc.",
        f"{folds}-fold ROC AUC",
        f"{folds}-fold PR-AUC",
        f"{folds}-fold bal. acc.",
        "evaluate ROC AUC (+log n)",
    ):
        table.add_column(column, no_wrap=column.startswith("市场"))
    for market in MARKETS:
        out, cv = lomo[market.key], within[market.key]
        result["markets"][market.key] = {
            "prevalence": round(out.positives / out.tenders, 4),
            "lomo": out.as_dict(),
            "within_cv": cv.as_dict(),
            "within_cv_evaluate": evaluate[market.key].as_dict(),
        }
        if structure:
            result["markets"][market.key]["structure"] = {
                "nested_lomo": nested[market.key].metrics.as_dict(),
                "nested_added": list(nested[market.key].added),
                "nested_inner_mean_auc": round(nested[market.key].inner_auc, 4),
                "lomo_all_structure": all_structure[market.key].as_dict(),
                "within_cv_evaluate_plus_structure": within_structure[market.key].as_dict(),
            }
        table.add_row(
            market.key,
            str(out.tenders),
            f"{out.positives / out.tenders:.3f}",
            f"{out.roc_auc:.3f}",
            f"{out.pr_auc:.3f}",
            f"{out.balanced_accuracy:.3f}",
            f"{cv.roc_auc:.3f}",
            f"{cv.pr_auc:.3f}",
            f"{cv.balanced_accuracy:.3f}",
            f"{evaluate[market.key].roc_auc:.3f}",
        )
    result["seconds"] = round(time.perf_counter() - started, 2)
    console.print(table)
    if structure:
        result["structure_features"] = list(STRUCTURE_FEATURES)
        console.print(_structure_table(MARKETS, nested, all_structure, within_structure, evaluate))
    console.print(f"用时 / took {result['seconds']} s (features {features_s:.1f} s)")
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        console.print(f"→ {json_out}")
    return result


def _structure_table(
    markets: tuple[Market, ...],
    nested: dict[str, NestedResult],
    all_structure: dict[str, Metrics],
    within: dict[str, Metrics],
    evaluate: dict[str, Metrics],
) -> Table:
    """The structural screens' figures: nested LOMO, LOMO with all of them, and within each market."""
    table = Table(title="结构性筛查（未纳入发布模型）/ Structural screens (not in the shipped model)")
    for column in (
        "市场 / market",
        "nested LOMO ROC AUC",
        "nested PR-AUC",
        "nested bal. acc.",
        "added (inner choice)",
        "LOMO + all structural",
        "within evaluate",
        "within evaluate + structural",
    ):
        table.add_column(column, no_wrap=column.startswith("市场"))
    for market in markets:
        n = nested[market.key]
        table.add_row(
            market.key,
            f"{n.metrics.roc_auc:.3f}",
            f"{n.metrics.pr_auc:.3f}",
            f"{n.metrics.balanced_accuracy:.3f}",
            ", ".join(n.added) or "—",
            f"{all_structure[market.key].roc_auc:.3f}",
            f"{evaluate[market.key].roc_auc:.3f}",
            f"{within[market.key].roc_auc:.3f}",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add the screens benchmark to the `bench` command group."""

    @app.command("screens")
    def bench_screens(
        folds: Annotated[int, typer.Option(help="市场内交叉验证折数 / folds of the within-market CV")] = 5,
        json_out: Annotated[Path | None, typer.Option("--json", help="write the figures as JSON")] = None,
        structure: Annotated[
            bool, typer.Option(help="结构性筛查实验 / also measure the structural screens (~1 min more)")
        ] = False,
    ) -> None:
        """报价筛查分类器 / Collusion classifier: leave-one-market-out and within-market figures."""
        # Wide enough for the nine columns even when piped (rich falls back to 80 columns there).
        run_screens_bench(Console(width=170), folds, json_out, structure)

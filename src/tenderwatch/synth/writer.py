"""Formatting helpers and the CSV writer (catalogue header order, catalogue value formats)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tenderwatch.catalog import get_catalog
from tenderwatch.synth.state import Arr, World


def money(cents: Arr) -> pl.Series:
    """Yuan with two decimals from integer cents; negative means missing (empty cell)."""
    c = pl.Series(np.asarray(cents, dtype=np.int64))
    text = (c // 100).cast(pl.String) + "." + (c % 100).cast(pl.String).str.zfill(2)
    return pl.select(pl.when(c >= 0).then(text).otherwise(pl.lit(""))).to_series()


def dt(seconds: Arr) -> pl.Series:
    return pl.from_epoch(pl.Series(np.asarray(seconds, dtype=np.int64)), time_unit="s").dt.strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def day(days: Arr) -> pl.Series:
    d = pl.Series(np.asarray(days, dtype=np.int64))
    text = d.cast(pl.Int32).cast(pl.Date).dt.strftime("%Y-%m-%d")
    return pl.select(pl.when(d >= 0).then(text).otherwise(pl.lit(""))).to_series()


def text(values: Any) -> pl.Series:
    arr = np.asarray(values)
    if arr.dtype == object:
        return pl.Series([str(v) for v in arr.tolist()], dtype=pl.String)
    return pl.Series(arr.astype(str), dtype=pl.String)


def pick(values: Arr, index: Arr) -> pl.Series:
    """values[index] as a string column, gathered by Polars (no large NumPy string temporaries)."""
    return text(values).gather(pl.Series(np.asarray(index, dtype=np.int64)))


def num(values: Arr) -> pl.Series:
    return pl.Series(np.asarray(values)).cast(pl.String)


def flag(values: Arr) -> pl.Series:
    return pl.Series(np.where(np.asarray(values, dtype=bool), "true", "false"), dtype=pl.String)


def patch(w: World, table: str, column: str, bid: int, value: str) -> None:
    """Override one value of a bid-keyed table (the row of bid `bid`)."""
    w.extra.setdefault("patch", {}).setdefault(table, {}).setdefault(column, {})[bid] = value


def apply_patches(w: World, table: str, df: pl.DataFrame, row_of_bid: Arr | None = None) -> pl.DataFrame:
    patches: dict[str, dict[int, str]] = w.extra.get("patch", {}).get(table, {})
    for column, by_bid in patches.items():
        bids = np.array(sorted(by_bid), dtype=np.int64)
        rows = bids if row_of_bid is None else row_of_bid[bids]
        keep = rows >= 0
        values = pl.Series([by_bid[int(x)] for x in bids[keep]], dtype=pl.String)
        df = df.with_columns(df[column].scatter(rows[keep], values))
    return df


def write_table(out: Path, dataset_id: str, columns: dict[str, pl.Series]) -> int:
    """Write one dataset file with the catalogue's header order; missing values as empty strings."""
    fields = get_catalog().dataset(dataset_id).field_names
    height = max(len(s) for s in columns.values())
    frame = pl.DataFrame(
        [(columns[f] if f in columns else pl.Series([""] * height, dtype=pl.String)).alias(f) for f in fields]
    )
    # Empty strings become nulls so the CSV has bare empty cells rather than quoted "".
    frame = frame.with_columns(pl.all().cast(pl.String).replace("", None))
    frame.write_csv(out / f"{dataset_id}.csv", null_value="", line_terminator="\n")
    return frame.height


def write_frame(out: Path, dataset_id: str, frame: pl.DataFrame) -> int:
    return write_table(out, dataset_id, {c: frame[c] for c in frame.columns})

"""Cardinal's stdout JSON, its --count lines, and our CSV/Parquet tables."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from tenderwatch.errors import UserError
from tenderwatch.ocds.cardinal.indicators.jsonfmt import JsonValue, dumps, round4
from tenderwatch.ocds.cardinal.indicators.results import MAP_NAMES, Results


def to_json(results: Results, meta: bool, maps: bool) -> str:
    """The result object: non-empty groups, then Meta (4 dp) unless --no-meta, then Maps if --map."""
    document: dict[str, JsonValue] = {}
    for group, values in results.groups.items():
        if values:
            document[group] = cast(JsonValue, values)
    if meta:
        document["Meta"] = {code: {k: round4(v) for k, v in m.items()} for code, m in results.meta.items()}
    if maps:
        document["Maps"] = {
            name: {
                ocid: list(ids) if isinstance(ids, dict) else cast(JsonValue, ids)
                for ocid, ids in results.maps[name].items()
            }
            for name in MAP_NAMES
        }
    if results.coverage:
        document["Coverage"] = cast(JsonValue, results.coverage)
    return dumps(document)


def count_lines(results: Results) -> list[str]:
    """Cardinal's `--count` lines (`Group: n`), for the groups present in the output."""
    return [f"{group}: {len(values)}" for group, values in results.groups.items() if values]


def rows(results: Results) -> list[tuple[str, str, str, float | None]]:
    """Long form: (group, id, indicator, value), in output order."""
    return [
        (group, key, code, value)
        for group, values in results.groups.items()
        for key, codes in values.items()
        for code, value in codes.items()
    ]


def write_table(results: Results, fmt: str, path: Path) -> None:
    """Write the results as a CSV or Parquet table with columns group, id, indicator, value."""
    import pyarrow as pa

    data = rows(results)
    table = pa.table(
        {
            "group": pa.array([r[0] for r in data], pa.string()),
            "id": pa.array([r[1] for r in data], pa.string()),
            "indicator": pa.array([r[2] for r in data], pa.string()),
            "value": pa.array([r[3] for r in data], pa.float64()),
        }
    )
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, path)
        else:
            import pyarrow.csv as pcsv

            pcsv.write_csv(table, path)
    except OSError as error:
        raise UserError(f"无法写入 {path}：{error}", f"cannot write {path}: {error}") from None

"""Running a collision: validate the choice against the catalogue, then count and list with DuckDB.

Dataset and field names reach SQL only after they were found in the catalogue (and are quoted even
then); filter values are bound parameters. Records whose key has a null part never match: import has
turned placeholders into nulls, so "no value" on both sides is not a collision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
from pydantic import BaseModel, Field

from tenderwatch.catalog.schemas import Catalog, Dataset
from tenderwatch.errors import UserError
from tenderwatch.lake.views import DUCKDB_TYPES

Op = Literal["eq", "prefix", "gte", "lte"]
Part = Literal["match", "left", "right"]
MAX_KEYS = 3
# Types that compare with each other: text with text, numbers with numbers, dates with dates.
TYPE_GROUPS = {
    "string": "text",
    "enum": "text",
    "month": "text",
    "int": "number",
    "decimal": "number",
    "float": "number",
    "date": "date",
    "datetime": "datetime",
    "bool": "bool",
}


class FilterIn(BaseModel):
    field: str = Field(max_length=64)
    op: Op = "eq"
    value: str = Field(max_length=200)


class SideIn(BaseModel):
    dataset: str = Field(max_length=64)
    fields: list[str] = Field(min_length=1, max_length=MAX_KEYS)
    filters: list[FilterIn] = Field(default_factory=list, max_length=5)


class CollisionIn(BaseModel):
    left: SideIn
    right: SideIn


@dataclass(frozen=True, slots=True)
class Side:
    dataset: Dataset
    fields: tuple[str, ...]
    filters: tuple[FilterIn, ...]


@dataclass(frozen=True, slots=True)
class Collision:
    left: Side
    right: Side


@dataclass(slots=True)
class Counts:
    left_records: int = 0
    right_records: int = 0
    left_null_keys: int = 0  # records left out because part of their key is empty
    right_null_keys: int = 0
    matched_values: int = 0
    left_only_values: int = 0
    right_only_values: int = 0
    left_matched_records: int = 0
    right_matched_records: int = 0
    left_only_records: int = 0
    right_only_records: int = 0


@dataclass(slots=True)
class Rows:
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def _fail(zh: str, en: str) -> UserError:
    return UserError(zh, en)


def validate(request: CollisionIn, catalog: Catalog) -> Collision:
    """The request checked against the catalogue; every problem is a UserError saying which name."""
    sides: list[Side] = []
    for name_zh, name_en, side in (("左侧", "left", request.left), ("右侧", "right", request.right)):
        if not catalog.has(side.dataset):
            raise _fail(
                f"{name_zh}数据集“{side.dataset}”不在数据共享清单中",
                f"the {name_en} dataset '{side.dataset}' is not in the catalogue",
            )
        dataset = catalog.dataset(side.dataset)
        for name in [*side.fields, *(f.field for f in side.filters)]:
            if name not in dataset.field_names:
                raise _fail(
                    f"数据集“{dataset.zh}”没有字段“{name}”",
                    f"dataset '{dataset.id}' has no field '{name}'",
                )
        if len(set(side.fields)) != len(side.fields):
            raise _fail("同一侧的比对字段不能重复", "a key field is repeated on one side")
        sides.append(Side(dataset, tuple(side.fields), tuple(side.filters)))
    left, right = sides
    if len(left.fields) != len(right.fields):
        raise _fail("左右两侧的比对字段数量必须相同", "both sides need the same number of key fields")
    for lf, rf in zip(left.fields, right.fields, strict=True):
        lt, rt = left.dataset.field(lf).type, right.dataset.field(rf).type
        if TYPE_GROUPS[lt] != TYPE_GROUPS[rt]:
            raise _fail(
                f"字段“{left.dataset.field(lf).zh}”（{lt}）与“{right.dataset.field(rf).zh}”（{rt}）类型不可比",
                f"fields '{left.dataset.id}.{lf}' ({lt}) and '{right.dataset.id}.{rf}' ({rt}) do not compare",
            )
    return Collision(left, right)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _key_expr(dataset: Dataset, name: str) -> str:
    column = _q(name)
    if TYPE_GROUPS[dataset.field(name).type] == "text":
        return f"CAST({column} AS VARCHAR)"
    if TYPE_GROUPS[dataset.field(name).type] == "number":
        return f"CAST({column} AS DOUBLE)"
    return column


def _filter_sql(side: Side) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    for flt in side.filters:
        column = _q(flt.field)
        sql_type = DUCKDB_TYPES[side.dataset.field(flt.field).type]
        if flt.op == "prefix":
            conditions.append(f"starts_with(CAST({column} AS VARCHAR), ?)")
        elif flt.op == "eq":
            conditions.append(f"CAST({column} AS VARCHAR) = ?")
        else:
            conditions.append(f"{column} {'>=' if flt.op == 'gte' else '<='} CAST(? AS {sql_type})")
        params.append(flt.value)
    return (" AND ".join(conditions) or "true"), params


def _stage(con: duckdb.DuckDBPyConnection, collision: Collision) -> None:
    """Temp tables l and r (filtered records with their key as _k0…) and lk, rk (distinct keys with
    the number of records carrying each)."""
    for alias, side in (("l", collision.left), ("r", collision.right)):
        where, params = _filter_sql(side)
        columns = ", ".join(_q(f.name) for f in side.dataset.fields)
        keys = ", ".join(f"{_key_expr(side.dataset, n)} AS _k{i}" for i, n in enumerate(side.fields))
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {alias} AS SELECT {columns}, _batch_id, {keys} "
                f"FROM {_q(side.dataset.id)} WHERE {where}",
                params,
            )
        except duckdb.Error as exc:  # a filter value that is not a number or date of the field's type
            raise _fail(
                f"筛选值不符合字段类型：{', '.join(f.value for f in side.filters)}",
                f"a filter value does not fit its field's type: {', '.join(f.value for f in side.filters)}",
            ) from exc
        not_null = " AND ".join(f"_k{i} IS NOT NULL" for i in range(len(side.fields)))
        ks = ", ".join(f"_k{i}" for i in range(len(side.fields)))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {alias}k AS SELECT {ks}, count(*) AS n FROM {alias} "
            f"WHERE {not_null} GROUP BY {ks}"
        )


def _using(collision: Collision) -> str:
    return ", ".join(f"_k{i}" for i in range(len(collision.left.fields)))


def run_counts(con: duckdb.DuckDBPyConnection, collision: Collision) -> Counts:
    _stage(con, collision)
    using = _using(collision)
    row = con.execute(
        f"""
        SELECT
            (SELECT count(*) FROM l), (SELECT count(*) FROM r),
            (SELECT count(*) FROM l) - (SELECT coalesce(sum(n), 0) FROM lk),
            (SELECT count(*) FROM r) - (SELECT coalesce(sum(n), 0) FROM rk),
            (SELECT count(*) FROM lk SEMI JOIN rk USING ({using})),
            (SELECT count(*) FROM lk ANTI JOIN rk USING ({using})),
            (SELECT count(*) FROM rk ANTI JOIN lk USING ({using})),
            (SELECT coalesce(sum(n), 0) FROM lk SEMI JOIN rk USING ({using})),
            (SELECT coalesce(sum(n), 0) FROM rk SEMI JOIN lk USING ({using})),
            (SELECT coalesce(sum(n), 0) FROM lk ANTI JOIN rk USING ({using})),
            (SELECT coalesce(sum(n), 0) FROM rk ANTI JOIN lk USING ({using}))
        """
    ).fetchone()
    assert row is not None
    return Counts(*(int(v) for v in row))


def part_sql(collision: Collision, part: Part) -> tuple[Dataset, str]:
    """The records of one part (after ``run_counts`` staged the tables): matched left records with how
    many right records share their key, left-only records, or right-only records."""
    using = _using(collision)
    if part == "match":
        dataset = collision.left.dataset
        columns = ", ".join(f"l.{_q(f.name)}" for f in dataset.fields)
        sql = f"SELECT {columns}, l._batch_id, rk.n AS _matches FROM l JOIN rk USING ({using})"
    elif part == "left":
        dataset = collision.left.dataset
        cols = ", ".join(_q(f.name) for f in dataset.fields)
        sql = f"SELECT {cols}, _batch_id FROM l ANTI JOIN rk USING ({using})"
    else:
        dataset = collision.right.dataset
        cols = ", ".join(_q(f.name) for f in dataset.fields)
        sql = f"SELECT {cols}, _batch_id FROM r ANTI JOIN lk USING ({using})"
    # Only records with a whole key take part; left-only must not list records with an empty key.
    side = collision.right if part == "right" else collision.left
    keys = ", ".join(_q(n) for n in side.fields)
    alias = "r" if part == "right" else "l"
    not_null = " AND ".join(f"{alias}._k{i} IS NOT NULL" for i in range(len(side.fields)))
    if part == "match":
        return dataset, f"{sql} ORDER BY {keys}, l._batch_id"
    return dataset, f"{sql} WHERE {not_null} ORDER BY {keys}, _batch_id"


def run_rows(
    con: duckdb.DuckDBPyConnection, collision: Collision, part: Part, limit: int, offset: int
) -> Rows:
    _, sql = part_sql(collision, part)
    cursor = con.execute(f"{sql} LIMIT ? OFFSET ?", [limit, offset])
    columns = [d[0] for d in cursor.description or []]
    return Rows(columns, [tuple(r) for r in cursor.fetchall()])

"""The Apache Spark backend (``pip install tenderwatch[spark]``): the same views, the same queries.

The lake's Parquet batches are read by Spark directly; current views use the same window as DuckDB's.
Queries are written in DuckDB's dialect and transpiled to Spark SQL with SQLGlot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tenderwatch.catalog.schemas import Catalog
from tenderwatch.errors import UserError
from tenderwatch.lake.derived import derived_from
from tenderwatch.lake.views import LakeBatch


def transpile(sql: str) -> str:
    import sqlglot

    return ";\n".join(sqlglot.transpile(sql, read="duckdb", write="spark"))


def spark_session(app_name: str = "tenderwatch") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UserError(
            "未安装Spark引擎（pip install 'tenderwatch[spark]'）",
            "the Spark engine is not installed (pip install 'tenderwatch[spark]')",
        ) from exc
    return (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


class SparkBackend:
    name = "spark"

    def __init__(self, spark: Any, catalog: Catalog, batches: Iterable[LakeBatch]) -> None:
        from pyspark.sql import functions as F

        self.spark = spark
        by_dataset: dict[str, list[LakeBatch]] = {}
        for batch in batches:
            by_dataset.setdefault(batch.dataset, []).append(batch)
        for dataset in catalog.datasets:
            frames = [
                spark.read.parquet(str(b.path / "data.parquet")).withColumn("_batch_id", F.lit(b.batch_id))
                for b in sorted(by_dataset.get(dataset.id, []), key=lambda b: b.batch_id)
            ]
            if frames:
                history = frames[0]
                for frame in frames[1:]:
                    history = history.unionByName(frame, allowMissingColumns=True)
            else:
                history = spark.sql(self._empty(dataset))
            history.createOrReplaceTempView(f"{dataset.id}__history")
            keys = ", ".join(f"`{k}`" for k in dataset.key)
            spark.sql(
                f"CREATE OR REPLACE TEMP VIEW `{dataset.id}` AS SELECT * EXCEPT (_rn) FROM ("
                f"SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY _batch_id DESC, _line DESC) AS _rn "
                f"FROM `{dataset.id}__history`) WHERE _rn = 1"
            )
            for derived in derived_from(dataset.id):
                spark.sql(
                    f"CREATE OR REPLACE TEMP VIEW `{derived.name}` AS {transpile(derived.sql(dataset.id))}"
                )

    @staticmethod
    def _empty(dataset: Any) -> str:
        from tenderwatch.lake.views import _empty_select

        return transpile(
            _empty_select(dataset, "CAST(NULL AS BIGINT) AS _batch_id, CAST(NULL AS BIGINT) AS _line")
        )

    def define_scope(self, predicate: str) -> None:
        self.spark.sql(
            f"CREATE OR REPLACE TEMP VIEW sections_in_scope AS SELECT * FROM sections WHERE {predicate}"
        )

    def rows(self, sql: str) -> Sequence[Sequence[object]]:
        return [tuple(r) for r in self.spark.sql(transpile(sql)).collect()]

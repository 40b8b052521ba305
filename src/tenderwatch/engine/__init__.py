"""The detection engine: models written once as SQL, run on DuckDB in-process or on Apache Spark.

A model (``tenderwatch.detection.cNN_*``) declares its metadata and one query. The query reads the
lake's current views and the runner-provided ``sections_in_scope`` view, and returns one row per
evidence item of one implicated entity (see ``base.HIT_COLUMNS``). The runner groups rows into hits,
so the same Python code turns DuckDB's and Spark's rows into identical hits.
"""

"""行业监管 industry supervision: each department's own projects, participating units, key personnel and
projects under construction, read from the lake with DuckDB and narrowed to the reader's grants.

``service`` holds the queries and their definitions (docs/industry.md explains them), ``views`` the pages,
the JSON twins under ``/api/v1/industry`` and the CSV exports.
"""

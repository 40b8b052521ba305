"""The lake: accepted records as immutable Parquet batches, and each dataset's current view.

Layout under ``settings.lake_dir``::

    <dataset>/<batch uuid>/data.parquet    accepted records, typed, with their source line
    <dataset>/<batch uuid>/raw/<file>      the file exactly as delivered
    _staging/<batch uuid>/                 a batch being written; never read

Nothing is overwritten. A batch becomes visible only when the application database records it as
committed, so a crash at any moment leaves either the whole batch or nothing.
"""

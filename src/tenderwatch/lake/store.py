"""Writing batches into the lake with an all-or-nothing hand-over to the application database."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

STAGING = "_staging"


@dataclass(frozen=True, slots=True)
class StagedBatch:
    dataset: str
    batch_uuid: str
    staging_dir: Path
    lake_dir: Path

    @property
    def final_dir(self) -> Path:
        return self.lake_dir / self.dataset / self.batch_uuid

    @property
    def relative_path(self) -> str:
        return f"{self.dataset}/{self.batch_uuid}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(lake_dir: Path, dataset: str, frame: pl.DataFrame, raw_file: Path, raw_name: str) -> StagedBatch:
    """Write the batch's Parquet file and raw copy into a private staging folder, flushed to disk."""
    batch_uuid = uuid.uuid4().hex
    staging_dir = lake_dir / STAGING / batch_uuid
    (staging_dir / "raw").mkdir(parents=True)
    frame.write_parquet(staging_dir / "data.parquet", compression="zstd", statistics=True)
    shutil.copyfile(raw_file, staging_dir / "raw" / Path(raw_name).name)
    for path in (staging_dir / "data.parquet", staging_dir / "raw" / Path(raw_name).name):
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(staging_dir)
    return StagedBatch(dataset, batch_uuid, staging_dir, lake_dir)


def publish(staged: StagedBatch) -> None:
    """Move the staged folder to its final place: one rename, atomic on a POSIX file system."""
    staged.final_dir.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staged.staging_dir, staged.final_dir)
    _fsync_dir(staged.final_dir.parent)


def discard(staged: StagedBatch) -> None:
    for path in (staged.staging_dir, staged.final_dir):
        shutil.rmtree(path, ignore_errors=True)


def collect_garbage(lake_dir: Path, committed: set[str]) -> list[str]:
    """Remove staging leftovers and batch folders the database never committed (a crash's remains).

    Only folders that are not committed are touched; ``committed`` holds ``dataset/uuid`` paths.
    """
    removed: list[str] = []
    if not lake_dir.exists():
        return removed
    for child in lake_dir.iterdir():
        if not child.is_dir():
            continue
        if child.name == STAGING:
            for leftover in child.iterdir():
                shutil.rmtree(leftover, ignore_errors=True)
                removed.append(f"{STAGING}/{leftover.name}")
            continue
        for batch_dir in child.iterdir():
            relative = f"{child.name}/{batch_dir.name}"
            if batch_dir.is_dir() and relative not in committed:
                shutil.rmtree(batch_dir, ignore_errors=True)
                removed.append(relative)
    return removed

"""Loading the catalogue and matching delivered files and headers to it."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from tenderwatch.catalog.schemas import Catalog, Dataset

CATALOG_FILE = Path(__file__).with_name("datasets.yaml")


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    with CATALOG_FILE.open(encoding="utf-8") as handle:
        return Catalog.model_validate(yaml.safe_load(handle))


def header_map(dataset: Dataset, headers: list[str]) -> dict[int, str]:
    """Column position -> field name, matching a header by field name or by its zh/en label.

    Matching ignores case, surrounding blanks and a UTF-8 BOM, because spreadsheets add all three.
    Unknown columns are left out (and reported by the caller), never guessed.
    """
    lookup: dict[str, str] = {}
    for f in dataset.fields:
        for alias in (f.name, f.zh, f.en):
            lookup[_norm(alias)] = f.name
    mapping: dict[int, str] = {}
    for position, header in enumerate(headers):
        name = lookup.get(_norm(header))
        if name is not None and name not in mapping.values():
            mapping[position] = name
    return mapping


def guess_dataset(catalog: Catalog, file_name: str, headers: list[str] | None = None) -> Dataset | None:
    """The dataset a file is for: by file stem (id or Chinese name), else by the best header cover."""
    # "bids-2024-06.csv" and "bids.part1.csv" are bids: try the stem, then ever shorter prefixes.
    pieces = re.split(r"[-.\s]", Path(file_name).stem.lower())
    for part in ("-".join(pieces[:n]) for n in range(len(pieces), 0, -1)):
        for d in catalog.datasets:
            if part in (d.id, d.zh.lower(), d.en.lower()):
                return d
    if not headers:
        return None
    best: tuple[float, Dataset] | None = None
    for d in catalog.datasets:
        mapped = set(header_map(d, headers).values())
        required = {f.name for f in d.fields if f.required}
        if not required <= mapped:
            continue
        score = len(mapped) / len(d.fields)
        if best is None or score > best[0]:
            best = (score, d)
    return None if best is None else best[1]


def _norm(text: str) -> str:
    return text.replace("\ufeff", "").strip().lower()

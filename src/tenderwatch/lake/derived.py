"""Derived relations: a dataset's current rows taken apart row by row, offered beside the datasets.

A model that needs every paragraph of every bid document (C12's boilerplate: paragraphs that many
companies share) would otherwise split a million documents on every query. A derived relation is
defined once as a query over its source's current rows (``{src}``), carries the source's key columns,
and depends on nothing but the row it came from. So:

- on the cold views and on Spark it is a view over the source's current view;
- on a warm lake it is a table, and when batches change some keys of the source, only those keys'
  derived rows are deleted and made again from their new current rows (``lake/warm.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Derived:
    name: str
    source: str  # the dataset whose current rows it is made from
    select: str  # a query over ``{src}`` that keeps the source's key columns

    def sql(self, src: str) -> str:
        return self.select.replace("{src}", src)


DERIVED: tuple[Derived, ...] = (
    Derived(
        "bid_document_paragraphs",
        "bid_documents",
        "SELECT section_code, bidder_uscc, lower(trim(h)) AS h FROM ("
        "SELECT section_code, bidder_uscc, unnest(string_split(paragraph_hashes, ';')) AS h "
        "FROM {src} WHERE paragraph_hashes IS NOT NULL) x",
    ),
)


def derived_from(dataset: str) -> list[Derived]:
    return [d for d in DERIVED if d.source == dataset]

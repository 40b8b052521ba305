"""Grading (DOMAIN.md §5.2): hard statutory evidence → red; two independent orange signals in one
section → red; otherwise the strongest model severity. Independence means the two models read
different source data (their datasets differ), so one bad record cannot raise itself to red.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenderwatch.engine.base import SEVERITY_RANK, DetectionModel


@dataclass(frozen=True, slots=True)
class Grade:
    grade: str
    reason_zh: str
    reason_en: str


def _sources(model: type[DetectionModel]) -> frozenset[str]:
    return frozenset(d for d in model.DATASETS if d not in ("sections", "tender_projects", "bids"))


def grade(signals: list[tuple[type[DetectionModel], str]]) -> Grade:
    """``signals``: (model, severity) for every model that hit one section and subject."""
    reds = [m for m, severity in signals if severity == "red"]
    if reds:
        names = "、".join(sorted({m.ID for m in reds}))
        return Grade(
            "red", f"{names} 命中法定情形的直接证据", f"{names}: hard evidence of a statutory ground"
        )
    oranges = [m for m, severity in signals if severity == "orange"]
    for i, first in enumerate(oranges):
        for second in oranges[i + 1 :]:
            if first.ID != second.ID and _sources(first).isdisjoint(_sources(second)):
                return Grade(
                    "red",
                    f"{first.ID} 与 {second.ID} 两个相互独立的橙色信号同时命中",
                    f"two independent orange signals: {first.ID} and {second.ID}",
                )
    top = max((severity for _, severity in signals), key=lambda s: SEVERITY_RANK[s])
    names = "、".join(sorted({m.ID for m, severity in signals if severity == top}))
    label = {"orange": ("橙色", "orange"), "yellow": ("黄色", "yellow")}[top]
    return Grade(top, f"{names} 为{label[0]}信号", f"{names}: {label[1]} signal")

"""Hand-written records for the fixture tests of the trace and personnel models (C02, C03, C06, C07,
C08, C12, C13): one tender project, its sections and bidders, all with valid identifiers."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tenderwatch.common.identifiers import make_id_number, make_uscc
from tenderwatch.engine.base import DetectionModel, Hit
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.duck import DuckBackend
from tenderwatch.engine.runner import run_model

_rng = random.Random(20240601)
A, B, C, D, E = (make_uscc("330106", _rng) for _ in range(5))
TENDERER = make_uscc("330100", _rng, authority="1", kind="1")
P1, P2, P3, P4, P5 = (make_id_number("330106", date(1975 + i, 3, 1 + i), _rng) for i in range(5))
NAMES = {
    A: "甲建设有限公司",
    B: "乙建设有限公司",
    C: "丙建设有限公司",
    D: "丁建设有限公司",
    E: "戊建设有限公司",
}


def csv(header: str, rows: Iterable[Sequence[Any]]) -> str:
    lines = [header] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def tender(
    sections: Sequence[str] = ("S1",),
    *,
    author: str = "",
    rsid: str = "",
    paragraphs: str = "",
    deadline: str = "2024-06-20 09:30:00",
) -> dict[str, str]:
    """The project and its sections (all sharing the tender-document properties given)."""
    project = csv(
        "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at",
        [("TP1", "城区道路改造工程", "building", "330106", TENDERER, "2024-05-01")],
    )
    head = (
        "section_code,tender_project_code,name,industry,region_code,procedure,evaluation_method,"
        "control_price,announce_time,bid_deadline,tender_doc_author,tender_doc_rsid,tender_doc_paragraphs"
    )
    rows = [
        (
            s,
            "TP1",
            f"{s}标段",
            "building",
            "330106",
            "open",
            "comprehensive",
            "10000000.00",
            "2024-05-20 09:00:00",
            deadline,
            author,
            rsid,
            paragraphs,
        )
        for s in sections
    ]
    return {"tender_projects": project, "sections": csv(head, rows)}


def bids(rows: Iterable[tuple[str, str] | tuple[str, str, str, str]]) -> str:
    """Bids as (section, bidder) or (section, bidder, operator_id, operator_phone)."""
    out = []
    for i, row in enumerate(rows):
        sec, uscc = row[0], row[1]
        op_id, phone = (row[2], row[3]) if len(row) == 4 else ("", "")
        out.append(
            (sec, uscc, NAMES[uscc], f"{9_500_000 + i * 1000}.00", "2024-06-19 10:00:00", op_id, phone)
        )
    return csv("section_code,bidder_uscc,bidder_name,bid_price,submit_time,operator_id,operator_phone", out)


def hits(backend: DuckBackend, model: type[DetectionModel]) -> list[Hit]:
    return [h for o in run_model(backend, model, ModelConfig()) for h in o.hits]


def pairs(found: list[Hit]) -> set[tuple[str | None, frozenset[str]]]:
    return {(h.section_code, frozenset(h.entities)) for h in found}

"""Scoring models against a synthetic province's ``truth.json``: precision and recall per model.

The unit counted depends on what a model is about (``SUBJECT``): for section models, each
(section, implicated company) pair; for company or person models, the company or person. A scheme
whose ``detail.also_matches`` names a model counts as planted for that model too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tenderwatch.engine.base import DetectionModel, Hit


def units_flagged(model: type[DetectionModel], hits: Iterable[Hit]) -> set[tuple[str, ...]]:
    if model.SUBJECT == "section":
        return {(h.section_code or "", e) for h in hits for e in h.entities}
    return {(h.subject_id,) for h in hits}


def units_planted(model: type[DetectionModel], truth: dict[str, Any]) -> set[tuple[str, ...]]:
    units: set[tuple[str, ...]] = set()
    for scheme in truth.get("schemes", []):
        # A scheme that unavoidably shows another model's signal too (a broker's clients share his
        # phone: C18 also shows as C06) is planted for that model as well: the signal is really there.
        also = scheme.get("detail", {}).get("also_matches", [])
        if scheme["model"] != model.ID and model.ID not in also:
            continue
        if model.SUBJECT == "section":
            entities = scheme.get("persons", []) if model.ENTITY == "person" else scheme["companies"]
            units |= {(s, e) for s in scheme["sections"] for e in entities}
        elif model.SUBJECT == "person":
            units |= {(p,) for p in scheme.get("persons", [])}
        else:
            units |= {(c,) for c in scheme["companies"]}
    return units


def present_units(con: Any, model: type[DetectionModel]) -> set[tuple[str, ...]] | None:
    """The (section, entity) pairs that exist in the data, for section models: a scheme listing a
    broker's four clients for a section where two of them bid can only ever be found for those two."""
    if model.SUBJECT != "section":
        return None
    if model.ENTITY == "person":
        sql = (
            "SELECT section_code, expert_id FROM experts UNION SELECT section_code, person_id FROM bid_personnel "
            "UNION SELECT section_code, operator_id FROM bids WHERE operator_id IS NOT NULL"
        )
    else:
        sql = (
            "SELECT section_code, bidder_uscc FROM bids UNION SELECT s.section_code, p.tenderer_uscc "
            "FROM sections s JOIN tender_projects p ON s.tender_project_code = p.tender_project_code"
        )
    return {(str(a), str(b)) for a, b in con.execute(sql).fetchall()}


def score(
    model: type[DetectionModel],
    hits: Iterable[Hit],
    truth: dict[str, Any],
    present: set[tuple[str, ...]] | None = None,
) -> dict[str, float | int]:
    flagged = units_flagged(model, hits)
    planted = units_planted(model, truth)
    if present is not None:
        planted &= present
    tp = len(flagged & planted)
    return {
        "planted": len(planted),
        "flagged": len(flagged),
        "true_positive": tp,
        "precision": tp / len(flagged) if flagged else 1.0,
        "recall": tp / len(planted) if planted else 1.0,
    }

"""The real-time path: an opened section's per-section models run at once, through the normal detection
and warning flows, and each new warning is routed to its department as the demo and the nightly job do.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tenderwatch.case.flows import open_case
from tenderwatch.case.models import Case, Department
from tenderwatch.case.routing import seed_departments
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.detection import MODELS
from tenderwatch.engine.flows import committed_batches, detect
from tenderwatch.lake.warm import WarmLake
from tenderwatch.push.batching import batcher_for
from tenderwatch.warning.models import Warning

SECTION_MODELS = tuple(m.ID for m in MODELS if m.SUBJECT == "section")
# What each stage of a section adds to the lake. A model runs at the first stage where everything it
# reads exists (at the opening: bids, fingerprints, bonds, personnel; with the candidates: the experts
# and their scores; at the award: the award), so no stage pays for queries that cannot hit yet.
STAGE_DATA: dict[str, frozenset[str]] = {
    "section_opened": frozenset(),
    "candidates_published": frozenset({"experts", "expert_scores"}),
    "award": frozenset({"awards"}),
    "contract": frozenset({"contracts"}),
}
LATER_DATA = frozenset().union(*STAGE_DATA.values())


def stage_models(kind: str) -> list[str]:
    """The per-section models to run after an event of this kind (all of them for other kinds)."""
    if kind not in STAGE_DATA:
        return list(SECTION_MODELS)
    order = list(STAGE_DATA)
    available = frozenset().union(*(STAGE_DATA[k] for k in order[: order.index(kind) + 1]))
    chosen = []
    for model in MODELS:
        needs = frozenset(model.DATASETS) & LATER_DATA
        if model.SUBJECT != "section" or not needs <= available:
            continue
        if (kind == "section_opened" and not needs) or needs & STAGE_DATA[kind]:
            chosen.append(model.ID)
    return chosen


log = logging.getLogger(__name__)


def warm_up(db: Database, lake: WarmLake) -> None:
    """Load the warm lake (at server start, in the background). A failure is logged, not raised: the
    real-time path loads it again on its first use."""
    try:
        report = lake.sync(lambda: committed_batches(db))
        log.info("warm lake loaded: %d datasets in %.1f s", len(report.built), report.seconds)
    except Exception:
        log.exception("warm lake: loading failed")


@dataclass(frozen=True, slots=True)
class SectionWarning:
    id: int
    grade: str
    status: str
    section_code: str | None
    models: list[str]
    case_id: int | None


def run_sections(
    db: Database, settings: Settings, by_kind: dict[str, list[str]], lake: WarmLake | None = None
) -> tuple[list[SectionWarning], float]:
    """Run each kind's stage models for its sections (on the warm lake when given); returns the
    sections' warnings and the seconds taken."""
    started = time.perf_counter()

    def run(work: dict[str, set[str]]) -> None:
        for kind, codes in work.items():
            models = stage_models(kind)
            if models and codes:
                detect(db, model_ids=models, sections=sorted(codes), lake=lake)

    batcher_for(db.settings.lake_dir).run(by_kind, run)
    wanted = sorted({c for codes in by_kind.values() for c in codes})
    with db.transaction() as session:
        warnings = list(
            session.scalars(select(Warning).where(Warning.section_code.in_(wanted)).order_by(Warning.id))
        )
        cases = {
            c.warning_id: c
            for c in session.scalars(select(Case).where(Case.warning_id.in_([w.id for w in warnings])))
        }
        if settings.push_open_cases and any(w.id not in cases for w in warnings):
            if session.scalar(select(Department.id).limit(1)) is None:
                seed_departments(db_session=session)
            for warning in warnings:
                if warning.id not in cases:
                    cases[warning.id] = open_case(
                        db_session=session, settings=settings, warning=warning, today=date.today()
                    )
        result = [summarise(w, cases.get(w.id)) for w in warnings]
    return result, time.perf_counter() - started


def summarise(warning: Warning, case: Case | None) -> SectionWarning:
    return SectionWarning(
        warning.id,
        warning.grade,
        warning.status,
        warning.section_code,
        [str(m["id"]) for m in warning.models],
        case.id if case is not None else None,
    )

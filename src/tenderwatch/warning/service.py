"""Reading warnings: filtered lists, counts by grade, one warning with its events.

Filters are plain values compared in SQL with bound parameters; the region filter is a prefix of the
6-digit division code (``33`` province, ``3301`` city), as jurisdictions are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, case, cast, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tenderwatch.warning.models import Warning

GRADES = ("red", "orange", "yellow")
STATUSES = ("generated",)


@dataclass(frozen=True, slots=True)
class WarningFilter:
    grade: str | None = None
    model: str | None = None
    region: str | None = None
    industry: str | None = None
    status: str | None = None
    section: str | None = None
    # The reader's jurisdictions as (region prefix, industries) pairs; None = no restriction (CLI, jobs).
    # An empty tuple sees nothing. Applied in SQL so counts and pages never include other regions.
    scope: tuple[tuple[str, tuple[str, ...]], ...] | None = None


def _in_scope(scope: tuple[tuple[str, tuple[str, ...]], ...]) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    for prefix, industries in scope:
        cond = Warning.region_code.startswith(prefix, autoescape=True)
        parts.append(cond & Warning.industry.in_(industries) if industries else cond)
    return or_(*parts) if parts else false()


def _conditions(flt: WarningFilter, *, with_grade: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.scope is not None:
        conditions.append(_in_scope(flt.scope))
    if with_grade and flt.grade:
        conditions.append(Warning.grade == flt.grade)
    if flt.region:
        conditions.append(Warning.region_code.startswith(flt.region, autoescape=True))
    if flt.industry:
        conditions.append(Warning.industry == flt.industry)
    if flt.status:
        conditions.append(Warning.status == flt.status)
    if flt.section:
        conditions.append(Warning.section_code == flt.section)
    if flt.model:
        # models is a JSON list of objects; its text form names each id as "id": "C01" on both
        # backends' serialisers, which is precise enough for a filter (ids are C + two digits).
        text = cast(Warning.models, String)
        conditions.append(text.contains(f'"{flt.model.upper()}"', autoescape=True))
    return conditions


def count_warnings(*, db_session: Session, flt: WarningFilter) -> int:
    query = select(func.count()).select_from(Warning).where(*_conditions(flt))
    return int(db_session.scalar(query) or 0)


def count_by_grade(*, db_session: Session, flt: WarningFilter) -> dict[str, int]:
    """Counts per grade under every filter except the grade itself (the tiles show all three)."""
    query = (
        select(Warning.grade, func.count()).where(*_conditions(flt, with_grade=False)).group_by(Warning.grade)
    )
    found = {str(g): int(n) for g, n in db_session.execute(query).all()}
    return {g: found.get(g, 0) for g in GRADES}


def list_warnings(*, db_session: Session, flt: WarningFilter, limit: int, offset: int) -> list[Warning]:
    # Red first, then the newest: what an inspector should look at comes first.
    order = case({g: i for i, g in enumerate(GRADES)}, value=Warning.grade, else_=len(GRADES))
    query = (
        select(Warning)
        .where(*_conditions(flt))
        .order_by(order, Warning.updated_at.desc(), Warning.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(db_session.scalars(query))


def get_warning(*, db_session: Session, warning_id: int) -> Warning | None:
    query = select(Warning).where(Warning.id == warning_id).options(selectinload(Warning.events))
    return db_session.scalars(query).first()


def known_industries(*, db_session: Session) -> list[str]:
    query = select(Warning.industry).where(Warning.industry.is_not(None)).distinct()
    return sorted(str(i) for i in db_session.scalars(query))

"""Routing (分办): which department answers a warning, and who else may watch it.

Key: (project region, industry line, project stage) → the department of that industry at that region's
level. A warning whose network spans several counties of one city goes to the city's department; one
spanning cities goes to the province's (DOMAIN.md §5.3). The discipline inspectors of the case's level
see it read-only (with comment, reopen and transfer rights) by a visibility rule on their grant — no copy
row — so the copy can never drift from the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenderwatch.audit.service import record as audit
from tenderwatch.auth.models import User
from tenderwatch.case.models import Department
from tenderwatch.common.regions import PROVINCE_CODE, REGIONS, Region, cities, counties
from tenderwatch.errors import UserError

# Industry line → the bureau that supervises it (DOMAIN.md §5.3). "other" goes to 发改 (the bidding
# supervision coordinator in Zhejiang).
BUREAUS: dict[str, tuple[str, str]] = {
    "building": ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    "transport": ("交通运输局", "Transport Bureau"),
    "water": ("水利局", "Water Resources Bureau"),
    "procurement": ("财政局", "Finance Bureau"),
    "other": ("发展和改革局", "Development and Reform Bureau"),
}
PROVINCE_BUREAUS = {
    "building": ("住房和城乡建设厅", "Department of Housing and Urban-Rural Development"),
    "transport": ("交通运输厅", "Department of Transport"),
    "water": ("水利厅", "Department of Water Resources"),
    "procurement": ("财政厅", "Department of Finance"),
    "other": ("发展和改革委员会", "Development and Reform Commission"),
}
LEVEL_UP = {"county": "city", "city": "province"}


@dataclass(frozen=True, slots=True)
class Route:
    department: Department
    reason: str  # "region" | "spans_counties" | "spans_cities"


def _department(region: Region, industry: str) -> Department:
    zh, en = (PROVINCE_BUREAUS if region.level == "province" else BUREAUS)[industry]
    return Department(
        code=f"{region.code}-{industry}",
        name_zh=region.name_zh + zh,
        name_en=f"{en}, {region.code}",
        region_code=region.code,
        region_prefix=region.prefix,
        level=region.level,
        industries=[industry],
        stages=[],
    )


def seed_departments(*, db_session: Session, actor: str = "system") -> int:
    """One department per industry for the province, each city and each county (idempotent). Adding
    departments changes where warnings are routed, so a seeding that adds any is an audited change."""
    known = set(db_session.scalars(select(Department.code)))
    added = 0
    for region in [REGIONS[PROVINCE_CODE], *cities(), *counties()]:
        for industry in BUREAUS:
            dept = _department(region, industry)
            if dept.code not in known:
                db_session.add(dept)
                added += 1
    if added:
        audit(db_session, actor, "change", "department", "*", {"op": "seed", "added": added})
    db_session.flush()
    return added


def level_region(region_codes: set[str]) -> tuple[str, str]:
    """The region whose department handles a warning touching these regions, and why."""
    known = {c for c in region_codes if c in REGIONS}
    if not known:
        raise UserError("预警地区无法识别", f"Unknown warning region(s): {sorted(region_codes)}")
    city_of = {c if REGIONS[c].level != "county" else str(REGIONS[c].parent) for c in known}
    if any(REGIONS[c].level == "province" for c in known) or len(city_of) > 1:
        return PROVINCE_CODE, "spans_cities" if len(city_of) > 1 else "region"
    if len(known) > 1 or REGIONS[next(iter(known))].level == "city":
        (city,) = city_of
        return city, "spans_counties" if len(known) > 1 else "region"
    return next(iter(known)), "region"


def route(*, db_session: Session, regions: set[str], industry: str | None, stage: str) -> Route:
    region_code, reason = level_region(regions)
    industry = industry if industry in BUREAUS else "other"
    candidates = db_session.scalars(
        select(Department).where(Department.region_code == region_code).order_by(Department.code)
    ).all()
    for dept in candidates:
        if industry in dept.industries and (not dept.stages or stage in dept.stages):
            return Route(dept, reason)
    raise UserError(
        f"{region_code}没有负责{industry}的部门", f"No department for {industry} at {region_code}"
    )


def parent_department(*, db_session: Session, dept: Department) -> Department | None:
    """The department one level up for the same industry (督办 on overdue)."""
    if dept.level not in LEVEL_UP:
        return None
    parent = REGIONS[dept.region_code].parent
    industry = dept.industries[0] if dept.industries else "other"
    return db_session.scalars(
        select(Department).where(Department.code == f"{parent}-{industry}")
    ).one_or_none()


def covers(user: User, role: str, region_prefix: str, industry: str) -> bool:
    """Whether one of the user's grants of this role reaches a case at ``region_prefix``.

    A regulator or reviewer acts at the department's own level or above (a city regulator may act on
    the city's cases, not a county's officer on a city case); an inspector sees the same way.
    """
    return any(
        g.role == role
        and region_prefix.startswith(g.region_prefix)
        and (not g.industries or industry in g.industries)
        for g in user.grants
    )

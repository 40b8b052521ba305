"""The screen's figures against a recount written independently: raw rows read from the lake and the
warnings table, filtered in Python by date, region prefix and industry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from tenderwatch.case.models import Case
from tenderwatch.situation import service
from tenderwatch.situation.service import Filter
from tenderwatch.warning.models import Warning, WarningEvent
from tests.situation.conftest import DAY, Situation

CHINA = timezone(timedelta(hours=8))


def period_bounds(period: str, day: date) -> tuple[date, date]:
    if period == "today":
        return day, day + timedelta(days=1)
    if period == "month":
        first = day.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1)
    return date(day.year, 1, 1), date(day.year + 1, 1, 1)


@dataclass
class Record:
    region: str
    industry: str
    day: date
    amount: float


_LAKE: dict[str, dict[str, list[Record]]] = {}


def lake_records(situation: Situation) -> dict[str, list[Record]]:
    """Read once per session: these tests add warnings at most, never batches."""
    key = str(situation.province.settings.lake_dir)
    if key not in _LAKE:
        _LAKE[key] = _read_lake(situation)
    return _LAKE[key]


def _read_lake(situation: Situation) -> dict[str, list[Record]]:
    con = situation.province.con()
    sections = {
        code: (region, industry)
        for code, region, industry in con.execute(
            "SELECT section_code, region_code, industry FROM sections"
        ).fetchall()
    }

    def day_of(value: Any) -> date:
        return value.date() if isinstance(value, datetime) else value

    out: dict[str, list[Record]] = {
        "projects": [
            Record(r, i, d, float(a or 0))
            for r, i, d, a in con.execute(
                "SELECT region_code, industry, registered_at, total_investment FROM tender_projects"
            ).fetchall()
        ],
        "sections": [
            Record(r, i, day_of(t), float(a or 0))
            for r, i, t, a in con.execute(
                "SELECT region_code, industry, announce_time, control_price FROM sections"
            ).fetchall()
        ],
        "bids": [
            Record(*sections[s], day_of(t), float(a or 0))
            for s, t, a in con.execute("SELECT section_code, submit_time, bid_price FROM bids").fetchall()
        ],
        "awards": [
            Record(*sections[s], d, float(a or 0))
            for s, d, a in con.execute("SELECT section_code, award_date, award_price FROM awards").fetchall()
        ],
    }
    con.close()
    return out


def china_day(instant: datetime) -> date:
    return instant.replace(tzinfo=UTC).astimezone(CHINA).date()


def recount(
    situation: Situation, period: str, day: date, prefix: str = "", industry: str | None = None
) -> dict[str, Any]:
    start, end = period_bounds(period, day)

    def keep(region: str, ind: str | None) -> bool:
        return region.startswith(prefix) and (industry is None or ind == industry)

    out: dict[str, Any] = {}
    for metric, records in lake_records(situation).items():
        chosen = [r for r in records if start <= r.day < end and keep(r.region, r.industry)]
        out[metric] = len(chosen)
        out[metric + "_amount"] = round(sum(r.amount for r in chosen), 2)
    with situation.province.db.session() as session:
        warnings = [w for w in session.scalars(select(Warning)) if keep(w.region_code, w.industry)]
        cases = list(session.scalars(select(Case)))
    out["raised"] = {
        g: sum(1 for w in warnings if w.grade == g and start <= china_day(w.first_raised_at) < end)
        for g in service.GRADES
    }
    final = {"closed", "transferred", "merged"}
    out["open"] = {
        g: sum(1 for w in warnings if w.grade == g and w.status not in final) for g in service.GRADES
    }
    out["overdue"] = sum(
        1
        for c in cases
        if c.overdue
        and c.state not in final
        and c.region_prefix.startswith(prefix)
        and (industry is None or c.industry == industry)
    )
    return out


def as_recount(counts: service.Counts) -> dict[str, Any]:
    return {
        "projects": counts.projects,
        "sections": counts.sections,
        "bids": counts.bids,
        "awards": counts.awards,
        "sections_amount": counts.control_amount,
        "awards_amount": counts.award_amount,
        "raised": counts.raised,
        "open": counts.open,
        "overdue": counts.overdue,
    }


def pick(expected: dict[str, Any]) -> dict[str, Any]:
    return {
        k: expected[k]
        for k in (
            "projects",
            "sections",
            "bids",
            "awards",
            "sections_amount",
            "awards_amount",
            "raised",
            "open",
            "overdue",
        )
    }


@pytest.mark.parametrize("period", ["today", "month", "year"])
def test_province_totals_equal_a_recount(situation: Situation, period: str) -> None:
    snapshot = service.compute(db=situation.province.db, flt=Filter(period=period, day=DAY))
    assert as_recount(snapshot.totals) == pick(recount(situation, period, DAY))
    # Not an empty agreement: each period holds something of its own.
    assert snapshot.totals.bids > 0
    assert sum(snapshot.totals.raised.values()) > 0


@pytest.mark.parametrize("period", ["today", "month", "year"])
def test_rows_by_city_and_industry_equal_a_recount(situation: Situation, period: str) -> None:
    snapshot = service.compute(db=situation.province.db, flt=Filter(period=period, day=DAY))
    assert [r.code for r in snapshot.regions] == [f"33{n:02d}00" for n in range(1, 12)]
    for row in snapshot.regions:
        assert as_recount(row.counts) == pick(recount(situation, period, DAY, row.prefix)), row.name_zh
        for county in row.children:
            assert as_recount(county.counts) == pick(recount(situation, period, DAY, county.prefix)), (
                county.name_zh
            )
    for ind in snapshot.industries:
        assert as_recount(ind.counts) == pick(recount(situation, period, DAY, industry=ind.code)), ind.code
    # The parts add up to the whole for the lake figures (every record has a county code).
    assert sum(r.counts.bids for r in snapshot.regions) == snapshot.totals.bids
    assert sum(i.counts.sections for i in snapshot.industries) == snapshot.totals.sections


def test_today_is_the_day_in_china(situation: Situation) -> None:
    """00:30 on DAY in China is 16:30 UTC the day before: today. 00:30 the next day is not."""
    snapshot = service.compute(db=situation.province.db, flt=Filter(period="today", day=DAY))
    with situation.province.db.session() as session:
        first, second, third = (session.get(Warning, i) for i in situation.warning_ids[:3])
        assert first is not None and second is not None and third is not None
        expected = {g: 0 for g in service.GRADES}
        for w in (first, second):
            expected[w.grade] += 1
    assert snapshot.totals.raised == expected
    month = service.compute(db=situation.province.db, flt=Filter(period="month", day=DAY))
    assert sum(month.totals.raised.values()) >= 4  # the three above and 1 October 00:00


def test_a_county_user_sees_only_its_county(situation: Situation) -> None:
    busiest = max(
        (r for r in service.compute(db=situation.province.db, flt=Filter("year", DAY)).regions),
        key=lambda r: r.counts.bids,
    )
    county = max(busiest.children, key=lambda c: (c.counts.bids, sum(c.counts.open.values())))
    scope = ((county.code, ()),)
    snapshot = service.compute(db=situation.province.db, flt=Filter("year", DAY, scope=scope))
    assert snapshot.focus == county.code
    assert [r.code for r in snapshot.regions] == [county.code]
    assert as_recount(snapshot.totals) == pick(recount(situation, "year", DAY, county.code))
    assert snapshot.totals.bids > 0
    # Problem projects are the county's own sections only.
    sections = {s for p in snapshot.problems for s in p.sections}
    with situation.province.db.session() as session:
        regions = {
            w.region_code for w in session.scalars(select(Warning).where(Warning.section_code.in_(sections)))
        }
    assert regions <= {county.code}
    # A drill-down outside the jurisdiction finds nothing rather than the other region's figures.
    other = next(c for c in busiest.children if c.code != county.code)
    outside = service.compute(
        db=situation.province.db, flt=Filter("year", DAY, region=other.prefix, scope=scope)
    )
    assert outside.totals.bids == 0 and sum(outside.totals.open.values()) == 0


def test_industry_grant_narrows_every_figure(situation: Situation) -> None:
    scope = (("33", ("water",)),)
    snapshot = service.compute(db=situation.province.db, flt=Filter("year", DAY, scope=scope))
    assert [i.code for i in snapshot.industries] == ["water"]
    assert as_recount(snapshot.totals) == pick(recount(situation, "year", DAY, industry="water"))


def test_lights_rule() -> None:
    assert service.light_of({"red": 1, "orange": 5, "yellow": 9}) == "red"
    assert service.light_of({"red": 0, "orange": 1, "yellow": 9}) == "orange"
    assert service.light_of({"red": 0, "orange": 0, "yellow": 1}) == "yellow"
    assert service.light_of({"red": 0, "orange": 0, "yellow": 0}) == "green"


def test_lights_follow_open_warnings_only(situation: Situation) -> None:
    """A region's light is its worst open grade; closing a warning takes it out of the light."""
    snapshot = service.compute(db=situation.province.db, flt=Filter("year", DAY))
    with situation.province.db.session() as session:
        warnings = list(session.scalars(select(Warning)))
    for row in [*snapshot.regions, *(c for r in snapshot.regions for c in r.children)]:
        grades = {w.grade for w in warnings if w.region_code.startswith(row.prefix) and w.status != "closed"}
        expected = next((g for g in service.GRADES if g in grades), "green")
        assert row.counts.light == expected, row.name_zh
    assert {"red", "green"} <= {c.counts.light for r in snapshot.regions for c in r.children}
    # Open is every warning whenever raised, less the closed ones.
    assert sum(snapshot.totals.open.values()) == len(warnings) - len(situation.closed_ids)


def test_top_problem_projects_rank_by_grade(situation: Situation) -> None:
    snapshot = service.compute(db=situation.province.db, flt=Filter("year", DAY))
    problems = snapshot.problems
    assert 0 < len(problems) <= service.TOP_PROBLEMS
    keys = [(p.red, p.orange, p.yellow) for p in problems]
    assert keys == sorted(keys, reverse=True)
    with situation.province.db.session() as session:
        open_red = [
            w.section_code
            for w in session.scalars(
                select(Warning).where(Warning.grade == "red", Warning.status != "closed")
            )
        ]
    first = problems[0]
    assert first.red == max(sum(1 for s in open_red if s in p.sections) for p in problems)
    con = situation.province.con()
    rows = con.execute(
        "SELECT section_code FROM sections WHERE tender_project_code = ?", [first.project_code]
    ).fetchall()
    assert set(first.sections) <= {r[0] for r in rows}


@pytest.mark.parametrize(
    ("period", "unit", "points", "last"),
    [
        ("today", "day", 30, "2025-10-23"),
        ("month", "day", 31, "2025-10-31"),
        ("year", "month", 12, "2025-12"),
    ],
)
def test_trend_buckets_add_up(situation: Situation, period: str, unit: str, points: int, last: str) -> None:
    snapshot = service.compute(db=situation.province.db, flt=Filter(period, DAY))
    assert snapshot.trend_unit == unit
    assert len(snapshot.trend) == points
    if period != "today":  # the month's and the year's buckets are the period itself
        assert sum(p.bids for p in snapshot.trend) == snapshot.totals.bids
        assert sum(p.red for p in snapshot.trend) == snapshot.totals.raised["red"]
    assert snapshot.trend[-1].bucket == last


def test_the_pulse_moves_with_every_kind_of_commit(situation: Situation) -> None:
    db = situation.province.db
    with db.session() as session:
        before = service.pulse(db_session=session)
    with db.transaction() as session:
        # A regrade, as the warning flows record it: the warning changes and an event row is appended.
        session.add(WarningEvent(warning_id=situation.warning_ids[-1], kind="regraded", detail={"test": 1}))
    with db.session() as session:
        after = service.pulse(db_session=session)
    assert after != before


def test_grants_in_two_cities_show_those_two(situation: Situation) -> None:
    scope = (("3301", ()), ("3302", ("building",)))
    snapshot = service.compute(db=situation.province.db, flt=Filter("year", DAY, scope=scope))
    assert snapshot.focus == "33"
    assert [r.code for r in snapshot.regions] == ["330100", "330200"]
    hangzhou = recount(situation, "year", DAY, "3301")
    ningbo = recount(situation, "year", DAY, "3302", industry="building")
    assert snapshot.totals.bids == hangzhou["bids"] + ningbo["bids"]
    assert snapshot.regions[1].counts.bids == ningbo["bids"]

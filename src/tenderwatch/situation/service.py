"""综合态势: the overall-situation figures, computed on request.

Source figures (projects, sections, bids, awards) come from the lake's current views through DuckDB;
warning and case figures come from the application database through SQL. Both are filtered in the query
by the reader's jurisdiction (region prefix × industries, as ``warning.service`` does), so nothing outside
it is ever counted. What each figure counts is in docs/situation.md; the definitions live here once and
the drill-down lists below reuse the very same conditions, so a list always holds the rows its number
counted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import duckdb
from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from tenderwatch.case.lifecycle import FINAL, OPEN
from tenderwatch.case.models import Case, CaseEvent
from tenderwatch.catalog import get_catalog
from tenderwatch.common.regions import CITY_NAMES_EN, PROVINCE_CODE, PROVINCE_NAME, REGIONS, Region
from tenderwatch.db import Database
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.models import Batch
from tenderwatch.lake.views import LakeBatch, connect, current_sql, history_sql
from tenderwatch.warning.models import Warning, WarningEvent

# Dates in the source data are local times of the province; warnings are stamped in UTC.
CHINA = timezone(timedelta(hours=8))
PERIODS = ("today", "month", "year")
GRADES = ("red", "orange", "yellow")
LIGHTS = ("red", "orange", "yellow", "green")
METRICS = ("projects", "sections", "bids", "awards")
TOP_PROBLEMS = 10
RECORDS = "situation_records"  # the lake's figures, one row per record (see _connect)
SECTIONS = "situation_sections"  # section → project and its name (see _connect)
TREND_DAYS = 30  # the "today" view shows the last 30 days, so a single day has something to compare with

# (source relation, date expression, amount expression). ``r`` is the row carrying region and industry:
# the record itself for projects and sections, the bid's or award's section otherwise.
_METRIC_SQL: dict[str, tuple[str, str, str]] = {
    "projects": ("tender_projects r", "r.registered_at", "r.total_investment"),
    "sections": ("sections r", "CAST(r.announce_time AS DATE)", "r.control_price"),
    "bids": (
        "bids x JOIN sections r ON r.section_code = x.section_code",
        "CAST(x.submit_time AS DATE)",
        "x.bid_price",
    ),
    "awards": (
        "awards x JOIN sections r ON r.section_code = x.section_code",
        "x.award_date",
        "x.award_price",
    ),
}

# What identifies each record, and when exactly it happened: the drill-down lists page through these
# (newest first) and fetch the details of one page only.
_METRIC_KEYS: dict[str, tuple[str, str, str, str]] = {
    "projects": (
        "CAST(r.registered_at AS TIMESTAMP) AS at",
        "r.tender_project_code AS project_code",
        "CAST(NULL AS VARCHAR) AS section_code",
        "CAST(NULL AS VARCHAR) AS party_id",
    ),
    "sections": (
        "r.announce_time AS at",
        "r.tender_project_code AS project_code",
        "r.section_code AS section_code",
        "CAST(NULL AS VARCHAR) AS party_id",
    ),
    "bids": (
        "x.submit_time AS at",
        "r.tender_project_code AS project_code",
        "x.section_code AS section_code",
        "x.bidder_uscc AS party_id",
    ),
    "awards": (
        "CAST(x.award_date AS TIMESTAMP) AS at",
        "r.tender_project_code AS project_code",
        "x.section_code AS section_code",
        "x.winner_uscc AS party_id",
    ),
}

Scope = tuple[tuple[str, tuple[str, ...]], ...]


def today_in_china(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(CHINA).date()


def region_prefix(code: str) -> str:
    """A known division code becomes its jurisdiction prefix (330100 → 3301); anything else stays."""
    region = REGIONS.get(code)
    return region.prefix if region is not None else code


@dataclass(frozen=True, slots=True)
class Filter:
    period: str  # today | month | year
    day: date  # the day the period is taken around (default: today in China)
    region: str | None = None  # drill-down prefix: 2, 4 or 6 digits
    industry: str | None = None
    # The reader's jurisdictions as (region prefix, industries); None = unrestricted (CLI, bench).
    scope: Scope | None = None

    def window(self) -> tuple[date, date]:
        """The calendar day, month or year holding ``day``: [start, end)."""
        if self.period == "today":
            return self.day, self.day + timedelta(days=1)
        if self.period == "month":
            start = self.day.replace(day=1)
            return start, _next_month(start)
        start = self.day.replace(month=1, day=1)
        return start, start.replace(year=start.year + 1)

    def trend(self) -> tuple[date, date, str]:
        """The trend's window and bucket: daily for a day (the last 30) and a month, monthly for a year."""
        if self.period == "today":
            return self.day - timedelta(days=TREND_DAYS - 1), self.day + timedelta(days=1), "day"
        start, end = self.window()
        return start, end, "day" if self.period == "month" else "month"

    def focus(self) -> str:
        """The region whose parts the screen shows: the drill-down, else what all grants share."""
        if self.region:
            return self.region
        if not self.scope:
            return PROVINCE_CODE[:2]
        prefixes = [p for p, _ in self.scope]
        common = prefixes[0]
        for prefix in prefixes[1:]:
            while not prefix.startswith(common):
                common = common[:-1]
        # Only a whole level is a place: cut back to the province, a city or a county.
        for size in (6, 4, 2):
            if len(common) >= size:
                return common[:size]
        return PROVINCE_CODE[:2]

    def with_(self, **changes: Any) -> Filter:
        return dataclasses.replace(self, **changes)


def _next_month(start: date) -> date:
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local calendar days [start, end) as naive UTC instants, the way the database stores times."""

    def utc(day: date) -> datetime:
        return datetime.combine(day, time(), CHINA).astimezone(UTC).replace(tzinfo=None)

    return utc(start), utc(end)


# ---- the lake ------------------------------------------------------------------------------------------


class LakeReader:
    """One DuckDB connection per lake directory, shared by every request; each query runs on its own
    cursor, which DuckDB allows from several threads.

    When batches were only added since (a push, an import), the connection is brought forward: its
    views are pointed at the new batch list and the figures' tables are corrected for the keys the new
    batches carry — a push of a few events costs a few keys, not a rebuild over the province. Anything
    else (a rollback, a first start, a delivery of many keys) builds a new connection from scratch.
    """

    # Beyond this many changed keys a rebuild is the safer bet: the views are narrowed with
    # list_contains, which tests each scanned row against the whole list. A push names a handful.
    MAX_INCREMENTAL_KEYS = 200

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, tuple[tuple[int, ...], duckdb.DuckDBPyConnection]] = {}

    def cursor(self, db: Database) -> duckdb.DuckDBPyConnection:
        with db.session() as session:
            batches = ingest_service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
        key = tuple(b.batch_id for b in batches)
        where = str(db.settings.lake_dir)
        with self._lock:
            found = self._open.get(where)
            if found is not None and found[0] == key:
                return found[1].cursor()
            con: duckdb.DuckDBPyConnection | None = None
            if found is not None and set(found[0]) <= set(key):
                known = set(found[0])
                if _advance(found[1], batches, [b for b in batches if b.batch_id not in known]):
                    con = found[1]
            if con is None:
                # An old connection is not closed here: another request may still be reading from a
                # cursor of it (DuckDB closes a connection's cursors with it). Dropped, it goes when
                # its last cursor does.
                con = _connect(db, batches)
            self._open[where] = (key, con)
            return con.cursor()


def _figures_select(metric: str, condition: str = "") -> str:
    source, date_expr, amount = _METRIC_SQL[metric]
    return (
        f"SELECT '{metric}' AS metric, CAST({date_expr} AS DATE) AS day, r.region_code, r.industry, "
        f"CAST({amount} AS DOUBLE) AS amount, {', '.join(_METRIC_KEYS[metric])} FROM {source}"
        + (f" WHERE {condition}" if condition else "")
    )


_SECTIONS_SELECT = (
    "SELECT s.section_code, s.tender_project_code, coalesce(p.name, s.name) AS name FROM sections s "
    "LEFT JOIN tender_projects p ON p.tender_project_code = s.tender_project_code"
)


def _connect(db: Database, batches: list[LakeBatch]) -> duckdb.DuckDBPyConnection:
    con = connect(get_catalog(), batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    # The current views rank every version of every key on each read; the screen's figures need four
    # narrow columns of four datasets, so they are taken once per lake state into one table and every
    # count and trend afterwards is a filter and a GROUP BY over it (≈ 40× faster on the small province).
    # The drill-down lists page through it too and read only one page's details from the views.
    con.execute(f"CREATE TABLE {RECORDS} AS " + " UNION ALL ".join(_figures_select(m) for m in METRICS))
    # Warnings name sections; the problem projects need each section's project, looked up on every
    # screen, so the mapping is taken once too.
    con.execute(f"CREATE TABLE {SECTIONS} AS {_SECTIONS_SELECT}")
    return con


def _advance(con: duckdb.DuckDBPyConnection, batches: list[LakeBatch], added: list[LakeBatch]) -> bool:
    """Bring a connection forward by ``added`` batches; False when a rebuild is the better way."""
    catalog = get_catalog()
    changed: dict[str, set[str]] = {
        "tender_projects": set(),
        "sections": set(),
        "bids": set(),
        "awards": set(),
    }
    column = {"tender_projects": "tender_project_code", "sections": "section_code", "bids": "section_code"}
    column["awards"] = "section_code"
    for batch in added:
        if batch.dataset in changed:
            path = str(batch.path / "data.parquet").replace("'", "''")
            rows = con.execute(
                f"SELECT DISTINCT CAST({column[batch.dataset]} AS VARCHAR) FROM read_parquet('{path}')"
            )
            changed[batch.dataset].update(str(r[0]) for r in rows.fetchall() if r[0] is not None)
    if sum(len(v) for v in changed.values()) > LakeReader.MAX_INCREMENTAL_KEYS:
        return False
    projects = sorted(changed["tender_projects"])
    sections = changed["sections"]
    # A bid's or award's row carries its section's region, industry and project: a changed section
    # changes them too.
    bid_sections = sorted(sections | changed["bids"])
    award_sections = sorted(sections | changed["awards"])
    by_dataset: dict[str, list[LakeBatch]] = {}
    for batch in batches:
        by_dataset.setdefault(batch.dataset, []).append(batch)
    con.execute("BEGIN TRANSACTION")
    try:
        for dataset in catalog.datasets:
            own = sorted(by_dataset.get(dataset.id, []), key=lambda b: b.batch_id)
            con.execute(f'CREATE OR REPLACE VIEW "{dataset.id}__history" AS {history_sql(dataset, own)}')
            con.execute(f'CREATE OR REPLACE VIEW "{dataset.id}" AS {current_sql(dataset, own)}')
        steps: list[tuple[str, str, list[str], str]] = [
            ("projects", "project_code", projects, "list_contains(?, r.tender_project_code)"),
            ("sections", "section_code", sorted(sections), "list_contains(?, r.section_code)"),
            (
                "bids",
                "section_code",
                bid_sections,
                "list_contains(?, x.section_code) AND list_contains(?, r.section_code)",
            ),
            (
                "awards",
                "section_code",
                award_sections,
                "list_contains(?, x.section_code) AND list_contains(?, r.section_code)",
            ),
        ]
        for metric, key, codes, condition in steps:
            if not codes:
                continue
            con.execute(
                f"DELETE FROM {RECORDS} WHERE metric = ? AND {key} IN (SELECT unnest(?))", [metric, codes]
            )
            con.execute(
                f"INSERT INTO {RECORDS} {_figures_select(metric, condition)}",
                [codes] * condition.count("?"),
            )
        if projects or sections:
            touched = "list_contains(?, s.section_code) OR list_contains(?, s.tender_project_code)"
            con.execute(
                f"DELETE FROM {SECTIONS} WHERE section_code IN (SELECT unnest(?)) "
                "OR tender_project_code IN (SELECT unnest(?))",
                [sorted(sections), projects],
            )
            con.execute(
                f"INSERT INTO {SECTIONS} {_SECTIONS_SELECT} WHERE {touched}", [sorted(sections), projects]
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


LAKE = LakeReader()


def _lake_conditions(flt: Filter, date_expr: str, start: date, end: date) -> tuple[list[str], list[Any]]:
    conditions = [f"{date_expr} >= ?", f"{date_expr} < ?"]
    params: list[Any] = [start, end]
    if flt.scope is not None:
        parts: list[str] = []
        for prefix, industries in flt.scope:
            part = "starts_with(r.region_code, ?)"
            params.append(prefix)
            if industries:
                part += " AND r.industry IN (" + ", ".join("?" for _ in industries) + ")"
                params.extend(industries)
            parts.append(f"({part})")
        conditions.append("(" + " OR ".join(parts) + ")" if parts else "false")
    if flt.region:
        conditions.append("starts_with(r.region_code, ?)")
        params.append(flt.region)
    if flt.industry:
        conditions.append("r.industry = ?")
        params.append(flt.industry)
    return conditions, params


@dataclass(frozen=True, slots=True)
class LakeRow:
    metric: str
    region_code: str
    industry: str
    n: int
    amount: float


def lake_counts(con: duckdb.DuckDBPyConnection, flt: Filter) -> list[LakeRow]:
    """Records of each kind in the period, per region code and industry, with their amounts."""
    start, end = flt.window()
    conditions, params = _lake_conditions(flt, "r.day", start, end)
    rows = con.execute(
        f"SELECT r.metric, r.region_code, r.industry, count(*), coalesce(sum(r.amount), 0) FROM {RECORDS} r "
        f"WHERE {' AND '.join(conditions)} GROUP BY r.metric, r.region_code, r.industry",
        params,
    ).fetchall()
    return [LakeRow(str(m), str(rc), str(ind), int(n), round(float(a or 0), 2)) for m, rc, ind, n, a in rows]


def lake_trend(con: duckdb.DuckDBPyConnection, flt: Filter) -> dict[tuple[str, str], int]:
    """(metric, bucket) → records, over the trend window."""
    start, end, unit = flt.trend()
    fmt = "%Y-%m-%d" if unit == "day" else "%Y-%m"
    conditions, params = _lake_conditions(flt, "r.day", start, end)
    rows = con.execute(
        f"SELECT r.metric, strftime(r.day, '{fmt}') AS bucket, count(*) FROM {RECORDS} r "
        f"WHERE {' AND '.join(conditions)} GROUP BY 1, 2",
        params,
    ).fetchall()
    return {(str(m), str(b)): int(n) for m, b, n in rows}


def section_projects(con: duckdb.DuckDBPyConnection, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Section code → (tender project code, project name) for the sections the lake knows."""
    if not codes:
        return {}
    rows = con.execute(
        # A plain table: a semi-join on the list (thousands of sections with open warnings) beats
        # list_contains, which tests every row against the whole list.
        f"SELECT section_code, tender_project_code, name FROM {SECTIONS} "
        "WHERE section_code IN (SELECT unnest(?))",
        [list(codes)],
    ).fetchall()
    return {str(s): (str(p), str(n)) for s, p, n in rows}


def project_sections(con: duckdb.DuckDBPyConnection, project_code: str) -> list[str]:
    rows = con.execute(
        f"SELECT section_code FROM {SECTIONS} WHERE tender_project_code = ? ORDER BY section_code",
        [project_code],
    ).fetchall()
    return [str(r[0]) for r in rows]


# ---- warnings and cases ----------------------------------------------------------------------------------


def _warning_conditions(flt: Filter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.scope is not None:
        parts: list[ColumnElement[bool]] = []
        for prefix, industries in flt.scope:
            cond = Warning.region_code.startswith(prefix, autoescape=True)
            parts.append(cond & Warning.industry.in_(industries) if industries else cond)
        conditions.append(or_(*parts) if parts else false())
    if flt.region:
        conditions.append(Warning.region_code.startswith(flt.region, autoescape=True))
    if flt.industry:
        conditions.append(Warning.industry == flt.industry)
    return conditions


def warning_conditions(
    flt: Filter,
    *,
    grade: str | None = None,
    open_only: bool = False,
    sections: Sequence[str] | None = None,
) -> list[ColumnElement[bool]]:
    """Raised in the period (``open_only`` = False), or open now whenever raised (``open_only``)."""
    conditions = _warning_conditions(flt)
    if open_only:
        # A warning's status mirrors its case's state; without a case it is still "generated" (open).
        conditions.append(Warning.status.not_in(FINAL))
    else:
        start, end = utc_bounds(*flt.window())
        conditions += [Warning.first_raised_at >= start, Warning.first_raised_at < end]
    if grade:
        conditions.append(Warning.grade == grade)
    if sections is not None:
        conditions.append(Warning.section_code.in_(list(sections)))
    return conditions


def overdue_conditions(flt: Filter) -> list[ColumnElement[bool]]:
    """Open cases flagged overdue, in the reader's jurisdiction as ``/cases`` defines it (the case's
    department jurisdiction starts with a grant's prefix)."""
    conditions: list[ColumnElement[bool]] = [Case.overdue.is_(True), Case.state.in_(OPEN)]
    if flt.scope is not None:
        parts: list[ColumnElement[bool]] = []
        for prefix, industries in flt.scope:
            cond = Case.region_prefix.startswith(prefix, autoescape=True)
            parts.append(cond & Case.industry.in_(industries) if industries else cond)
        conditions.append(or_(*parts) if parts else false())
    if flt.region:
        conditions.append(Case.region_prefix.startswith(flt.region, autoescape=True))
    if flt.industry:
        conditions.append(Case.industry == flt.industry)
    return conditions


# ---- the snapshot ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Counts:
    projects: int = 0
    sections: int = 0
    bids: int = 0
    awards: int = 0
    award_amount: float = 0.0  # yuan: award prices of the awards counted
    control_amount: float = 0.0  # yuan: control prices of the sections counted
    raised: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    open: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    overdue: int = 0
    light: str = "green"


def light_of(open_counts: dict[str, int]) -> str:
    """Red if any open red warning, else orange if any open orange, else yellow if any open yellow,
    else green. "Open" is any case state but closed, transferred or merged (docs/situation.md)."""
    for grade in GRADES:
        if open_counts.get(grade, 0) > 0:
            return grade
    return "green"


@dataclass(slots=True)
class RegionRow:
    code: str  # 6-digit division code
    prefix: str  # its jurisdiction prefix, the drill-down value
    level: str
    name_zh: str
    name_en: str
    counts: Counts
    children: list[RegionRow] = field(default_factory=list)


@dataclass(slots=True)
class IndustryRow:
    code: str
    name_zh: str
    name_en: str
    counts: Counts


@dataclass(slots=True)
class ProblemProject:
    project_code: str | None  # None: the section is not (yet) in the lake
    name: str | None
    sections: list[str]
    red: int = 0
    orange: int = 0
    yellow: int = 0

    @property
    def total(self) -> int:
        return self.red + self.orange + self.yellow


@dataclass(slots=True)
class TrendPoint:
    bucket: str
    projects: int = 0
    sections: int = 0
    bids: int = 0
    awards: int = 0
    red: int = 0
    orange: int = 0
    yellow: int = 0


@dataclass(slots=True)
class Snapshot:
    period: str
    day: date
    window: tuple[date, date]
    region: str | None
    industry: str | None
    focus: str
    totals: Counts
    regions: list[RegionRow]  # the parts of the focus (cities, or counties, or the county itself)
    industries: list[IndustryRow]
    problems: list[ProblemProject]
    trend_unit: str
    trend: list[TrendPoint]
    # The latest day with any record in view (whatever the period): lets an empty period point at data.
    latest: date | None = None
    digest: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["window"] = [d.isoformat() for d in self.window]
        data["latest"] = self.latest.isoformat() if self.latest else None
        for item, problem in zip(data["problems"], self.problems, strict=True):
            item["total"] = problem.total
        data["digest"] = self.digest
        return data


def region_name_en(region: Region) -> str:
    if region.level == "province":
        return PROVINCE_NAME[1]
    if region.level == "city":
        return CITY_NAMES_EN.get(region.code, region.name_zh)
    return region.name_zh  # counties have no official English names in GB/T 2260


def _in_scope(prefix: str, scope: Scope | None) -> bool:
    """Whether a region overlaps the jurisdiction at all (so it deserves a row)."""
    if scope is None:
        return True
    return any(prefix.startswith(p) or p.startswith(prefix) for p, _ in scope)


def _parts(focus: str, scope: Scope | None) -> list[Region]:
    """The regions shown for a focus: the cities of the province, the counties of a city, or the county."""
    if len(focus) == 2:
        found = [r for r in REGIONS.values() if r.level == "city"]
    elif len(focus) == 4:
        found = [r for r in REGIONS.values() if r.level == "county" and r.code.startswith(focus)]
    else:
        found = [r for r in REGIONS.values() if r.code == focus]
    return [r for r in found if _in_scope(r.prefix, scope)]


class _Tally:
    """Raw figures per (region code, industry), summed up for any region prefix or industry."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, str], Counts] = {}
        self.overdue: dict[tuple[str, str], int] = {}

    def cell(self, region_code: str, industry: str | None) -> Counts:
        key = (region_code, industry or "")
        found = self.cells.get(key)
        if found is None:
            found = self.cells[key] = Counts()
        return found

    def total(self, prefix: str = "", industry: str | None = None) -> Counts:
        """The sum over region codes starting with ``prefix`` (and of ``industry``, if given)."""
        if self._sums is None:
            self._sums = self._summed()
        found = self._sums.get((prefix, industry))
        out = (
            Counts()
            if found is None
            else dataclasses.replace(found, raised=dict(found.raised), open=dict(found.open))
        )
        out.award_amount = round(out.award_amount, 2)
        out.control_amount = round(out.control_amount, 2)
        out.light = light_of(out.open)
        return out

    _sums: dict[tuple[str, str | None], Counts] | None = None

    def _summed(self) -> dict[tuple[str, str | None], Counts]:
        """One pass: every cell added to the province, its city, its county and its industry."""
        sums: dict[tuple[str, str | None], Counts] = {}

        def target(key: tuple[str, str | None]) -> Counts:
            found = sums.get(key)
            if found is None:
                found = sums[key] = Counts()
            return found

        for (code, ind), c in self.cells.items():
            for key in {("", None), (code[:2], None), (code[:4], None), (code, None), ("", ind)}:
                out = target(key)
                out.projects += c.projects
                out.sections += c.sections
                out.bids += c.bids
                out.awards += c.awards
                out.award_amount += c.award_amount
                out.control_amount += c.control_amount
                for g in GRADES:
                    out.raised[g] += c.raised[g]
                    out.open[g] += c.open[g]
        # A case sits at its department's level: a city case counts for the city, not its counties.
        for (prefix, ind), n in self.overdue.items():
            for key in {("", None), (prefix[:2], None), (prefix[:4], None), (prefix, None), ("", ind)}:
                target(key).overdue += n
        return sums


class SnapshotCache:
    """Snapshots by (database, pulse, filter). When a commit arrives every open screen refetches at
    once; the first request computes, the others (same filter, same pulse) are served from here. A new
    pulse makes every older entry unreachable, and the oldest entries go first."""

    SIZE = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str, Filter], Snapshot] = OrderedDict()

    def get(self, key: tuple[str, str, Filter]) -> Snapshot | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, Filter], snapshot: Snapshot) -> None:
        with self._lock:
            self._entries[key] = snapshot
            while len(self._entries) > self.SIZE:
                self._entries.popitem(last=False)


CACHE = SnapshotCache()


def compute(*, db: Database, flt: Filter) -> Snapshot:
    """Every figure of the screen for one filter, from the lake and the database as they are now."""
    with db.session() as session:
        where = f"{db.settings.effective_database_url}|{db.settings.lake_dir}"
        key = (where, pulse(db_session=session), flt)
        cached = CACHE.get(key)
        if cached is not None:
            return cached
        con = LAKE.cursor(db)
        try:
            snapshot = _compute(session, con, flt)
        finally:
            con.close()
    CACHE.put(key, snapshot)
    return snapshot


def _compute(session: Session, con: duckdb.DuckDBPyConnection, flt: Filter) -> Snapshot:
    tally = _Tally()
    for lake_row in lake_counts(con, flt):
        cell = tally.cell(lake_row.region_code, lake_row.industry)
        setattr(cell, lake_row.metric, getattr(cell, lake_row.metric) + lake_row.n)
        if lake_row.metric == "awards":
            cell.award_amount += lake_row.amount
        elif lake_row.metric == "sections":
            cell.control_amount += lake_row.amount

    # Raised in the period and open now, counted in one pass over the warnings.
    utc_start, utc_end = utc_bounds(*flt.window())
    in_period = and_(Warning.first_raised_at >= utc_start, Warning.first_raised_at < utc_end)
    is_open = Warning.status.not_in(FINAL)
    counted = (
        select(
            Warning.region_code,
            Warning.industry,
            Warning.grade,
            func.sum(case((in_period, 1), else_=0)),
            func.sum(case((is_open, 1), else_=0)),
        )
        .where(*_warning_conditions(flt), or_(in_period, is_open))
        .group_by(Warning.region_code, Warning.industry, Warning.grade)
    )
    for code, industry, grade, raised, opened in session.execute(counted):
        if grade in GRADES:
            cell = tally.cell(str(code), industry)
            cell.raised[str(grade)] += int(raised or 0)
            cell.open[str(grade)] += int(opened or 0)
    overdue = select(Case.region_prefix, Case.industry, func.count()).where(*overdue_conditions(flt))
    for prefix, industry, n in session.execute(overdue.group_by(Case.region_prefix, Case.industry)):
        tally.overdue[(str(prefix), str(industry))] = int(n)

    focus = flt.focus()
    regions: list[RegionRow] = []
    for region in _parts(focus, flt.scope):
        row = RegionRow(
            region.code,
            region.prefix,
            region.level,
            region.name_zh,
            region_name_en(region),
            tally.total(region.prefix),
        )
        if region.level == "city" and len(focus) == 2:
            row.children = [
                RegionRow(c.code, c.prefix, c.level, c.name_zh, c.name_zh, tally.total(c.prefix))
                for c in _parts(region.prefix, flt.scope)
            ]
        regions.append(row)

    industry_enum = get_catalog().enums["industry"]
    wanted = _scope_industries(flt.scope)
    industries = [
        IndustryRow(code, labels.zh, labels.en, tally.total(industry=code))
        for code, labels in industry_enum.items()
        if (wanted is None or code in wanted) and (flt.industry is None or code == flt.industry)
    ]

    start, end = flt.window()
    return _finish(
        Snapshot(
            period=flt.period,
            day=flt.day,
            window=(start, end),
            region=flt.region,
            industry=flt.industry,
            focus=focus,
            totals=tally.total(),
            regions=regions,
            industries=industries,
            problems=_problems(session, con, flt),
            trend_unit=flt.trend()[2],
            trend=_trend(session, con, flt),
            latest=latest_record_day(con, flt),
        )
    )


def latest_record_day(con: duckdb.DuckDBPyConnection, flt: Filter) -> date | None:
    conditions, params = _lake_conditions(flt, "r.day", date.min, date.max)
    row = con.execute(
        f"SELECT max(r.day) FROM {RECORDS} r WHERE {' AND '.join(conditions)}", params
    ).fetchone()
    return row[0] if row and isinstance(row[0], date) else None


def _scope_industries(scope: Scope | None) -> set[str] | None:
    """The industries a jurisdiction can see at all; None when some grant covers every industry."""
    if scope is None or any(not industries for _, industries in scope):
        return None
    return {i for _, industries in scope for i in industries}


def _problems(session: Session, con: duckdb.DuckDBPyConnection, flt: Filter) -> list[ProblemProject]:
    """The projects with the heaviest open warnings: most red, then orange, then yellow.

    The database counts per section; DuckDB joins those counts to the sections' projects, sums and
    ranks them, so only the ten winners come back to Python (the province has tens of thousands of
    sections with open warnings)."""

    def of(grade: str) -> Any:
        return func.sum(case((Warning.grade == grade, 1), else_=0))

    query = (
        select(Warning.section_code, of("red"), of("orange"), of("yellow"))
        .where(*warning_conditions(flt, open_only=True), Warning.section_code.is_not(None))
        .group_by(Warning.section_code)
    )
    rows = session.execute(query).all()
    if not rows:
        return []
    columns = [[str(r[0]) for r in rows], *([int(r[i] or 0) for r in rows] for i in (1, 2, 3))]
    ranked = con.execute(
        f"""
        WITH w AS (SELECT unnest(?) AS section_code, unnest(?) AS red, unnest(?) AS orange,
                          unnest(?) AS yellow),
        j AS (SELECT w.*, m.tender_project_code AS project_code, m.name
              FROM w LEFT JOIN {SECTIONS} m ON m.section_code = w.section_code),
        g AS (SELECT any_value(project_code) AS project_code, any_value(name) AS name,
                     list(section_code ORDER BY section_code) AS sections,
                     sum(red) AS red, sum(orange) AS orange, sum(yellow) AS yellow
              FROM j GROUP BY coalesce(project_code, 'section:' || section_code))
        SELECT project_code, name, sections, red, orange, yellow FROM g
        ORDER BY red DESC, orange DESC, yellow DESC, coalesce(project_code, ''), sections[1]
        LIMIT ?
        """,
        [*columns, TOP_PROBLEMS],
    ).fetchall()
    return [
        ProblemProject(
            None if code is None else str(code),
            None if code is None else str(name),
            [str(x) for x in sections],
            int(red),
            int(orange),
            int(yellow),
        )
        for code, name, sections, red, orange, yellow in ranked
    ]


def buckets(start: date, end: date, unit: str) -> list[str]:
    out: list[str] = []
    day = start
    while day < end:
        if unit == "day":
            out.append(day.isoformat())
            day += timedelta(days=1)
        else:
            out.append(day.strftime("%Y-%m"))
            day = _next_month(day.replace(day=1))
    return out


def _trend(session: Session, con: duckdb.DuckDBPyConnection, flt: Filter) -> list[TrendPoint]:
    start, end, unit = flt.trend()
    points = {b: TrendPoint(b) for b in buckets(start, end, unit)}
    for (metric, bucket), n in lake_trend(con, flt).items():
        if bucket in points:
            setattr(points[bucket], metric, n)
    # Warnings are few next to bids: fetching their times and bucketing in local time here keeps the
    # query the same on SQLite and PostgreSQL (no dialect's date functions).
    utc_start, utc_end = utc_bounds(start, end)
    query = select(Warning.first_raised_at, Warning.grade).where(
        *_warning_conditions(flt), Warning.first_raised_at >= utc_start, Warning.first_raised_at < utc_end
    )
    for raised_at, grade in session.execute(query):
        local = raised_at.replace(tzinfo=UTC).astimezone(CHINA).date()
        bucket = local.isoformat() if unit == "day" else local.strftime("%Y-%m")
        if bucket in points and grade in GRADES:
            setattr(points[bucket], str(grade), getattr(points[bucket], str(grade)) + 1)
    return list(points.values())


def _finish(snapshot: Snapshot) -> Snapshot:
    """Stamp the snapshot with a digest of its figures: equal digests, nothing to redraw."""
    body = json.dumps(snapshot.as_json(), sort_keys=True, default=str).encode("utf-8")
    snapshot.digest = hashlib.sha256(body).hexdigest()[:16]
    return snapshot


# ---- the pulse -----------------------------------------------------------------------------------------------


def pulse(*, db_session: Session) -> str:
    """A cheap fingerprint of everything the screen reads: committed batches (however they arrived —
    file import or push), warnings and cases. Any commit that can change a figure changes it.

    Only primary-key maxima and counts, which the database answers from its indexes: a warning's
    every change appends a ``warning_event`` and a case's every step (the overdue tick included) a
    ``case_event`` (the house rule that every state change is an event row), and a warning's status
    only ever changes with its case."""
    # A rollback changes a batch's status, not its id: the count of committed batches catches it.
    batches = db_session.execute(
        select(func.max(Batch.id), func.count()).where(Batch.status == "committed")
    ).one()
    warnings = db_session.execute(select(func.max(Warning.id), func.count())).one()
    events = (
        db_session.scalar(select(func.max(WarningEvent.id))),
        db_session.scalar(select(func.max(Case.id))),
        db_session.scalar(select(func.max(CaseEvent.id))),
    )
    return "|".join(str(v) for v in (*batches, *warnings, *events))


# ---- drill-down lists ---------------------------------------------------------------------------------------

LAKE_KINDS = ("projects", "sections", "bids", "awards")
WARNING_KINDS = ("warnings", "open_warnings")
LIST_KINDS = (*LAKE_KINDS, *WARNING_KINDS, "overdue")

Key = tuple[str | None, str | None, str | None]  # project, section, party

# Details of one page of records, by the keys RECORDS gave; each query names the sections (or projects)
# it needs, which the views' "latest version" window can be narrowed to before it ranks anything
# (``list_contains`` is pushed down that way; ``IN (SELECT unnest(?))`` is not, and costs a full window).
_DETAIL_SQL: dict[str, str] = {
    "projects": (
        "SELECT r.tender_project_code AS project_code, NULL AS section_code, NULL AS party_id, r.name AS name, "
        "r.region_code, r.industry, CAST(r.registered_at AS VARCHAR) AS at, r.total_investment AS amount "
        "FROM tender_projects r WHERE list_contains(?, r.tender_project_code)"
    ),
    "sections": (
        "SELECT r.tender_project_code AS project_code, r.section_code, NULL AS party_id, r.name AS name, "
        "r.region_code, r.industry, strftime(r.announce_time, '%Y-%m-%d %H:%M') AS at, "
        "r.control_price AS amount FROM sections r WHERE list_contains(?, r.section_code)"
    ),
    "bids": (
        "SELECT r.tender_project_code AS project_code, x.section_code, x.bidder_uscc AS party_id, "
        "r.name AS name, x.bidder_name AS party, r.region_code, r.industry, "
        "strftime(x.submit_time, '%Y-%m-%d %H:%M') AS at, x.bid_price AS amount "
        "FROM bids x JOIN sections r ON r.section_code = x.section_code "
        "WHERE list_contains(?, x.section_code) AND list_contains(?, r.section_code)"
    ),
    "awards": (
        "SELECT r.tender_project_code AS project_code, x.section_code, x.winner_uscc AS party_id, "
        "r.name AS name, r.region_code, r.industry, CAST(x.award_date AS VARCHAR) AS at, "
        "x.award_price AS amount FROM awards x JOIN sections r ON r.section_code = x.section_code "
        "WHERE list_contains(?, x.section_code) AND list_contains(?, r.section_code)"
    ),
}


def list_lake(
    con: duckdb.DuckDBPyConnection, kind: str, flt: Filter, *, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """The records a lake figure counted (the same table and conditions as the figure), newest first."""
    start, end = flt.window()
    conditions, params = _lake_conditions(flt, "r.day", start, end)
    where = " AND ".join(["r.metric = ?", *conditions])
    params = [kind, *params]
    total = con.execute(f"SELECT count(*) FROM {RECORDS} r WHERE {where}", params).fetchone()
    keys: list[Key] = [
        (p, s, x)
        for p, s, x in con.execute(
            f"SELECT r.project_code, r.section_code, r.party_id FROM {RECORDS} r WHERE {where} "
            "ORDER BY r.at DESC, r.project_code, r.section_code, r.party_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    ]
    details = _details(con, kind, keys)
    return int(total[0] if total else 0), [details[k] for k in keys if k in details]


def _details(con: duckdb.DuckDBPyConnection, kind: str, keys: list[Key]) -> dict[Key, dict[str, Any]]:
    if not keys:
        return {}
    if kind == "projects":
        ids = sorted({str(p) for p, _s, _x in keys})
        params: list[Any] = [ids]
    else:
        ids = sorted({str(s) for _p, s, _x in keys})
        params = [ids] if kind == "sections" else [ids, ids]
    cursor = con.execute(_DETAIL_SQL[kind], params)
    names = [d[0] for d in cursor.description]
    found: dict[Key, dict[str, Any]] = {}
    for values in cursor.fetchall():
        row: dict[str, Any] = {
            n: (float(v) if isinstance(v, Decimal) else v) for n, v in zip(names, values, strict=True)
        }
        found[(row["project_code"], row["section_code"], row["party_id"])] = row
    if kind == "projects":
        sections = dict(
            con.execute(
                f"SELECT tender_project_code, list(section_code ORDER BY section_code) FROM {SECTIONS} "
                "WHERE list_contains(?, tender_project_code) GROUP BY 1",
                [ids],
            ).fetchall()
        )
        for row in found.values():
            row["sections"] = sections.get(row["project_code"], [])
    if kind == "awards":
        names_of = {
            (s, u): n
            for s, u, n in con.execute(
                "SELECT section_code, bidder_uscc, bidder_name FROM bids WHERE list_contains(?, section_code)",
                [ids],
            ).fetchall()
        }
        for row in found.values():
            row["party"] = names_of.get((row["section_code"], row["party_id"]))
    return found


def list_warnings(
    *,
    db_session: Session,
    flt: Filter,
    grade: str | None,
    open_only: bool,
    sections: Sequence[str] | None,
    limit: int,
    offset: int,
) -> tuple[int, list[Warning]]:
    conditions = warning_conditions(flt, grade=grade, open_only=open_only, sections=sections)
    total = int(db_session.scalar(select(func.count()).select_from(Warning).where(*conditions)) or 0)
    # Red first, then the newest, as the warnings list orders them.
    order = case({g: i for i, g in enumerate(GRADES)}, value=Warning.grade, else_=len(GRADES))
    query = (
        select(Warning).where(*conditions).order_by(order, Warning.first_raised_at.desc(), Warning.id.desc())
    )
    return total, list(db_session.scalars(query.limit(limit).offset(offset)))


def list_overdue(
    *, db_session: Session, flt: Filter, limit: int, offset: int
) -> tuple[int, list[tuple[Case, Warning | None]]]:
    conditions = overdue_conditions(flt)
    total = int(db_session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0)
    query = (
        select(Case, Warning)
        .outerjoin(Warning, Warning.id == Case.warning_id)
        .where(*conditions)
        .order_by(Case.due_date, Case.id)
        .limit(limit)
        .offset(offset)
    )
    return total, [(c, w) for c, w in db_session.execute(query).all()]

"""Queries of industry supervision (行业监管) over the lake's current views, narrowed to a scope.

A scope is the reader's grants as (region prefix, industries) pairs, further narrowed to one industry
when the reader picks one. Every list applies it in SQL, on the record's own region and industry: a
project's, a section's, or a construction site's. Definitions (docs/industry.md has them with reasons):

- **section status** — ``completed`` when every registry site of the section is accepted as completed,
  ``under_construction`` when one of them is live, else ``contracted`` (a filed contract), ``awarded``
  (an award) or ``tendering``. A project's status is that of its least advanced section (``registered``
  when it has no section yet): a project is as far as its slowest section.
- **site** — a record of the registry of projects under construction (``construction_projects``), or an
  award with a project manager whose section has no registry record yet (the registry lags awards). A
  registry site's period runs from its start to its acceptance as completed (open while active or
  suspended; a ``completed`` record without a date ends at its planned completion). An award-only site
  runs from its contract's signing (else the award date) for the winning bid's duration (open when the
  bid states none); its manager is the contract's when one is filed, else the award's.
- **active site** — a registry site whose status is active or suspended and has no completion date; an
  award-only site whose period has not ended on the day asked about.
- **conflict** — one project manager (same ID number) on two sites whose periods overlap by at least a
  day, where at least one site is in scope. The statutory exception the data can show is left out: two
  sections of the same tender project (adjacent sections or phases of one works). ``is_current`` means both
  sites are active now.
- **change after award** — an awarded section in scope whose award names manager X and whose filed
  contract or registry site names another, Y. The data says nothing about approval: no source unit
  delivers manager-change records (the catalogue has no such dataset).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from tenderwatch.auth.models import User
from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.ingest import service as ingest_service
from tenderwatch.lake.views import connect
from tenderwatch.warning.models import Warning

ROLES = ("regulator", "inspector", "admin")
# Roles that may read warnings (warning.views.READER_ROLES among ours): administrators run the platform
# and have no business with warnings, so their construction page leaves the warnings panel out.
WARNING_ROLES = ("regulator", "inspector")
INDUSTRIES = ("building", "transport", "water", "procurement", "other")
KEY_ROLES = ("project_manager", "technical_lead")
# Models whose warnings are about key personnel and projects under construction: the same person for two
# bidders (C07), key staff employed elsewhere (C19), a manager on a live project (C20), one person used by
# several companies (C21).
RELATED_MODELS = ("C07", "C19", "C20", "C21")
STAGES = ("tendering", "awarded", "contracted", "under_construction", "completed")
DASHBOARD_LISTS = ("projects", "units", "personnel")
CONSTRUCTION_LISTS = ("sites", "conflicts", "changes")
# The datasets each list reads; a list whose datasets were never delivered says so instead of "none".
NEEDS: dict[str, tuple[str, ...]] = {
    "projects": ("tender_projects", "sections"),
    "units": ("sections", "bids"),
    "personnel": ("sections", "bid_personnel"),
    "sites": ("construction_projects",),
    "conflicts": ("construction_projects",),
    "changes": ("awards", "contracts", "construction_projects"),
}
# Useful but optional: their absence leaves a column empty, which the page also says.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "projects": ("awards", "contracts", "construction_projects"),
    "units": ("awards", "companies", "credit_records", "blacklist"),
    "personnel": ("awards", "certificates", "persons"),
    "sites": ("awards", "contracts", "companies", "persons"),
    "conflicts": ("awards", "contracts", "persons"),
    "changes": ("persons",),
}
FAR = "DATE '9999-12-31'"


@dataclass(frozen=True, slots=True)
class Scope:
    """(region prefix, industries) pairs; empty industries = every industry. No pairs sees nothing."""

    grants: tuple[tuple[str, tuple[str, ...]], ...]

    def industries(self) -> tuple[str, ...]:
        """The industries this scope can see, in catalogue order."""
        if any(not inds for _, inds in self.grants):
            return INDUSTRIES
        seen = {i for _, inds in self.grants for i in inds}
        return tuple(i for i in INDUSTRIES if i in seen)

    def narrow(self, industry: str | None) -> Scope:
        """Only ``industry`` (None keeps the scope); grants that do not cover it drop out."""
        if not industry:
            return self
        return Scope(tuple((p, (industry,)) for p, inds in self.grants if not inds or industry in inds))

    def covers(self, region_code: str | None, industry: str | None) -> bool:
        if region_code is None:
            return False
        return any(region_code.startswith(p) and (not inds or industry in inds) for p, inds in self.grants)


def scope_of(user: User) -> Scope:
    """Regulators see their own industries and region; inspectors and administrators every industry of
    theirs (an inspector's grant names the jurisdiction, not a bureau)."""
    pairs: dict[tuple[str, tuple[str, ...]], None] = {}
    for grant in user.grants:
        if grant.role == "regulator":
            pairs[(grant.region_prefix, tuple(grant.industries))] = None
        elif grant.role in ("inspector", "admin"):
            pairs[(grant.region_prefix, ())] = None
    return Scope(tuple(pairs))


def warning_scope(user: User) -> Scope:
    """The scope in which the user reads warnings: that of warning.views (its reader roles' grants, with
    their industries). An administrator's grants are not a warning reader's, so they read none."""
    pairs = {(g.region_prefix, tuple(g.industries)): None for g in user.grants if g.role in WARNING_ROLES}
    return Scope(tuple(pairs))


@dataclass(slots=True)
class Lake:
    """A DuckDB connection over the lake's current views and the datasets that were ever delivered."""

    con: duckdb.DuckDBPyConnection
    delivered: frozenset[str]

    def missing(self, names: Iterable[str]) -> list[str]:
        return [n for n in names if n not in self.delivered]

    def close(self) -> None:
        self.con.close()


def open_lake(database: Database) -> Lake:
    with database.session() as session:
        batches = ingest_service.committed_lake_batches(
            db_session=session, lake_dir=database.settings.lake_dir
        )
    con = connect(
        get_catalog(), batches, database.settings.duckdb_memory_limit, database.settings.duckdb_threads
    )
    return Lake(con, frozenset(b.dataset for b in batches))


@dataclass(slots=True)
class Query:
    """One list: a SELECT with named parameters, its ordering, and how its search narrows it."""

    sql: str
    params: dict[str, Any]
    order: str
    search: Sequence[str] = ()  # columns matched case-insensitively against the search text
    exact: Sequence[str] = ()  # columns matched exactly (identifiers)
    person_columns: Sequence[str] = field(default_factory=tuple)

    def where(self, q: str | None) -> tuple[str, dict[str, Any]]:
        params = dict(self.params)
        if not q or not q.strip():
            return "", params
        params["q"] = q.strip().lower()
        parts = [f"strpos(lower(CAST({c} AS VARCHAR)), $q) > 0" for c in self.search]
        parts += [f"lower(CAST({c} AS VARCHAR)) = $q" for c in self.exact]
        return " WHERE " + " OR ".join(parts), params


def _scope_sql(alias: str, scope: Scope, params: dict[str, Any]) -> str:
    parts: list[str] = []
    for k, (prefix, industries) in enumerate(scope.grants):
        params[f"sp{k}"] = prefix
        condition = f"starts_with({alias}.region_code, $sp{k})"
        if industries:
            names: list[str] = []
            for j, industry in enumerate(industries):
                params[f"si{k}_{j}"] = industry
                names.append(f"$si{k}_{j}")
            condition += f" AND {alias}.industry IN ({', '.join(names)})"
        parts.append(f"({condition})")
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count(lake: Lake, query: Query, q: str | None = None) -> int:
    where, params = query.where(q)
    found = lake.con.execute(f"SELECT count(*) FROM ({query.sql}){where}", params).fetchone()
    return int(found[0]) if found else 0


def fetch(
    lake: Lake, query: Query, q: str | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    where, params = query.where(q)
    page = ""
    if limit is not None:
        params["lim"], params["off"] = limit, offset
        page = " LIMIT $lim OFFSET $off"
    return _rows(lake.con, f"SELECT * FROM ({query.sql}){where} ORDER BY {query.order}{page}", params)


# ---- sections, their stage, and projects ------------------------------------------------------------

# Every section with its award, latest contract, registry sites and stage (see the module docstring).
SECTION_STAGE = """
stage_sec AS (
    SELECT s.section_code, s.tender_project_code, s.name, s.region_code, s.industry, s.control_price,
           s.bid_deadline, a.winner_uscc, a.award_price, a.award_date, k.signed_date,
           CASE WHEN g.n > 0 AND g.done = g.n THEN 'completed'
                WHEN g.live > 0 THEN 'under_construction'
                WHEN k.section_code IS NOT NULL THEN 'contracted'
                WHEN a.section_code IS NOT NULL THEN 'awarded'
                ELSE 'tendering' END AS stage
    FROM sections s
    LEFT JOIN awards a ON a.section_code = s.section_code
    LEFT JOIN (SELECT section_code, max(signed_date) AS signed_date FROM contracts GROUP BY 1) k
           ON k.section_code = s.section_code
    LEFT JOIN (
        SELECT section_code, count(*) AS n,
               count(*) FILTER (WHERE completion_date IS NOT NULL OR status = 'completed') AS done,
               count(*) FILTER (WHERE completion_date IS NULL AND status IN ('active', 'suspended')) AS live
        FROM construction_projects WHERE section_code IS NOT NULL GROUP BY 1
    ) g ON g.section_code = s.section_code
)"""

_STAGE_RANK = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES))
_RANK_STAGE = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STAGES))


def projects_query(scope: Scope) -> Query:
    params: dict[str, Any] = {}
    sql = f"""
WITH {SECTION_STAGE.strip()}
SELECT t.tender_project_code, t.name, t.industry, t.region_code, t.tenderer_uscc, t.tenderer_name,
       t.total_investment, t.registered_at,
       count(st.section_code) AS sections,
       sum(st.control_price) AS control_total,
       sum(st.award_price) AS award_total,
       count(st.award_date) AS awarded_sections,
       CASE WHEN count(st.section_code) = 0 THEN 'registered'
            ELSE CASE min(CASE st.stage {_STAGE_RANK} END) {_RANK_STAGE} END END AS status,
       string_agg(st.section_code, ' ' ORDER BY st.section_code) AS section_codes
FROM tender_projects t
LEFT JOIN stage_sec st ON st.tender_project_code = t.tender_project_code
WHERE {_scope_sql("t", scope, params)}
GROUP BY ALL"""
    return Query(
        sql,
        params,
        order="registered_at DESC, tender_project_code",
        search=("tender_project_code", "name", "tenderer_name", "section_codes"),
    )


def sections_of(lake: Lake, project_codes: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The sections of the given projects with their stage and amounts, by project."""
    if not project_codes:
        return {}
    params: dict[str, Any] = {"codes": list(project_codes)}
    sql = f"""
WITH {SECTION_STAGE.strip()}
SELECT * FROM stage_sec WHERE list_contains($codes, tender_project_code) ORDER BY section_code"""
    found: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(lake.con, sql, params):
        found.setdefault(str(row["tender_project_code"]), []).append(row)
    return found


# ---- participating units ----------------------------------------------------------------------------


def units_query(scope: Scope, on: date) -> Query:
    params: dict[str, Any] = {"on": on}
    sql = f"""
WITH sec AS (SELECT s.section_code FROM sections s WHERE {_scope_sql("s", scope, params)}),
b AS (SELECT b.bidder_uscc, b.section_code, b.bidder_name FROM bids b JOIN sec USING (section_code)),
w AS (SELECT a.winner_uscc, count(*) AS wins, sum(a.award_price) AS won
      FROM awards a JOIN sec USING (section_code) GROUP BY 1),
bl AS (SELECT subject_id, count(*) AS n FROM blacklist
       WHERE start_date <= $on AND (end_date IS NULL OR end_date >= $on) GROUP BY 1),
cr AS (SELECT subject_id, count(*) AS n FROM credit_records WHERE kind = 'bad' GROUP BY 1),
u AS (SELECT bidder_uscc AS uscc, min(bidder_name) AS bid_name, count(DISTINCT section_code) AS bids
      FROM b GROUP BY 1)
SELECT u.uscc, coalesce(c.name, u.bid_name) AS name, c.kind, c.region_code, u.bids,
       coalesce(w.wins, 0) AS wins, coalesce(w.won, 0) AS won_amount,
       coalesce(cr.n, 0) AS bad_records, coalesce(bl.n, 0) > 0 AS blacklisted
FROM u
LEFT JOIN companies c ON c.uscc = u.uscc
LEFT JOIN w ON w.winner_uscc = u.uscc
LEFT JOIN bl ON bl.subject_id = u.uscc
LEFT JOIN cr ON cr.subject_id = u.uscc"""
    return Query(sql, params, order="wins DESC, bids DESC, uscc", search=("uscc", "name"))


# ---- key personnel ----------------------------------------------------------------------------------


def personnel_query(scope: Scope) -> Query:
    params: dict[str, Any] = {"roles": list(KEY_ROLES)}
    sql = f"""
WITH sec AS (SELECT s.section_code FROM sections s WHERE {_scope_sql("s", scope, params)}),
named AS (SELECT p.person_id, p.person_name, p.role, p.section_code, p.bidder_uscc, p.certificate_no
          FROM bid_personnel p JOIN sec USING (section_code)
          WHERE list_contains($roles, p.role) AND p.person_id IS NOT NULL),
n AS (SELECT person_id, min(person_name) AS name, list_sort(list(DISTINCT role)) AS roles,
             count(DISTINCT bidder_uscc) AS companies, count(DISTINCT section_code) AS sections,
             list_sort(list(DISTINCT bidder_uscc)) AS company_ids
      FROM named GROUP BY 1),
aw AS (SELECT a.project_manager_id AS person_id, count(*) AS awards
       FROM awards a JOIN sec USING (section_code) WHERE a.project_manager_id IS NOT NULL GROUP BY 1),
ppl AS (SELECT person_id FROM n UNION SELECT person_id FROM aw),
ce AS (SELECT person_id,
              list({{'no': certificate_no, 'type': certificate_type, 'specialty': specialty,
                     'employer': employer_uscc, 'valid_to': valid_to}} ORDER BY certificate_no) AS certificates,
              string_agg(certificate_no, ' ' ORDER BY certificate_no) AS certificate_nos
       FROM certificates WHERE person_id IN (SELECT person_id FROM ppl) GROUP BY 1)
SELECT ppl.person_id, coalesce(n.name, pe.name) AS name,
       coalesce(n.roles, ['project_manager']) AS roles,
       coalesce(n.companies, 0) AS companies, coalesce(n.company_ids, []) AS company_ids,
       coalesce(n.sections, 0) AS sections, coalesce(aw.awards, 0) AS awards,
       coalesce(ce.certificates, []) AS certificates, ce.certificate_nos
FROM ppl
LEFT JOIN n ON n.person_id = ppl.person_id
LEFT JOIN aw ON aw.person_id = ppl.person_id
LEFT JOIN ce ON ce.person_id = ppl.person_id
LEFT JOIN persons pe ON pe.person_id = ppl.person_id"""
    return Query(
        sql,
        params,
        order="awards DESC, sections DESC, person_id",
        search=("name", "certificate_nos"),
        exact=("person_id",),
        person_columns=("person_id",),
    )


# ---- sites under construction, conflicts, changes after award ---------------------------------------

# Registry sites and award-only sites, one row each, with their period (see the module docstring).
SITES = f"""
k AS (SELECT section_code, arg_max(project_manager_id, signed_date) AS pm, max(signed_date) AS signed_date,
             arg_max(contract_id, signed_date) AS contract_id
      FROM contracts GROUP BY 1),
reg AS (
    SELECT 'registry' AS source, c.project_id AS site_id, c.name, c.industry, c.region_code,
           c.contractor_uscc, c.project_manager_id AS pm, c.start_date AS started,
           c.planned_completion AS planned_end, c.completion_date AS completed, c.status, c.section_code,
           CASE WHEN c.completion_date IS NOT NULL THEN c.completion_date
                WHEN c.status = 'completed' THEN coalesce(c.planned_completion, c.start_date) END AS period_end,
           (c.status IN ('active', 'suspended') AND c.completion_date IS NULL) AS active
    FROM construction_projects c
),
awd AS (
    SELECT 'award' AS source, a.section_code AS site_id, s.name, s.industry, s.region_code,
           a.winner_uscc AS contractor_uscc, coalesce(k.pm, a.project_manager_id) AS pm,
           coalesce(k.signed_date, a.award_date) AS started,
           CAST(coalesce(k.signed_date, a.award_date) + to_days(CAST(b.duration_days AS INTEGER)) AS DATE)
               AS planned_end,
           CAST(NULL AS DATE) AS completed, 'awarded' AS status, a.section_code
    FROM awards a
    JOIN sections s ON s.section_code = a.section_code
    LEFT JOIN k ON k.section_code = a.section_code
    LEFT JOIN bids b ON b.section_code = a.section_code AND b.bidder_uscc = a.winner_uscc
    WHERE coalesce(k.pm, a.project_manager_id) IS NOT NULL
      AND a.section_code NOT IN (SELECT section_code FROM construction_projects WHERE section_code IS NOT NULL)
),
site AS (
    SELECT reg.*, sx.tender_project_code FROM reg LEFT JOIN sections sx ON sx.section_code = reg.section_code
    UNION ALL BY NAME
    SELECT awd.*, planned_end AS period_end, (planned_end IS NULL OR planned_end >= $on) AS active,
           sx.tender_project_code
    FROM awd LEFT JOIN sections sx ON sx.section_code = awd.section_code
),
pname AS (
    SELECT person_id, min(name) AS name FROM (
        SELECT person_id, name FROM persons
        UNION ALL SELECT person_id, person_name FROM bid_personnel WHERE role = 'project_manager'
    ) GROUP BY 1
),
pair AS (
    SELECT x.pm, x.source AS a_source, x.site_id AS a_site, y.source AS b_source, y.site_id AS b_site,
           greatest(x.started, y.started) AS overlap_from,
           CASE WHEN x.period_end IS NULL THEN y.period_end
                WHEN y.period_end IS NULL THEN x.period_end
                ELSE least(x.period_end, y.period_end) END AS overlap_to,
           x.active AND y.active AS is_current
    FROM site x JOIN site y
      ON x.pm = y.pm AND (x.source < y.source OR (x.source = y.source AND x.site_id < y.site_id))
     AND x.started < coalesce(y.period_end, {FAR}) AND y.started < coalesce(x.period_end, {FAR})
     -- adjacent sections or phases of the same works are a statutory exception
     AND NOT coalesce(x.tender_project_code = y.tender_project_code, false)
)"""

_SITE_COLUMNS = (
    "source",
    "site_id",
    "name",
    "industry",
    "region_code",
    "contractor_uscc",
    "started",
    "planned_end",
    "completed",
    "status",
    "section_code",
    "period_end",
    "active",
)


def sites_query(scope: Scope, on: date) -> Query:
    params: dict[str, Any] = {"on": on}
    sql = f"""
WITH {SITES.strip()}
SELECT site.source, site.site_id, site.name, site.industry, site.region_code, site.contractor_uscc,
       co.name AS contractor_name, site.pm, pname.name AS pm_name, site.started, site.planned_end,
       site.status, site.section_code,
       EXISTS (SELECT 1 FROM pair WHERE (pair.a_source = site.source AND pair.a_site = site.site_id)
                                     OR (pair.b_source = site.source AND pair.b_site = site.site_id)) AS in_conflict
FROM site
LEFT JOIN companies co ON co.uscc = site.contractor_uscc
LEFT JOIN pname ON pname.person_id = site.pm
WHERE site.active AND {_scope_sql("site", scope, params)}"""
    return Query(
        sql,
        params,
        order="in_conflict DESC, started DESC, site_id",
        search=("site_id", "name", "contractor_name", "pm_name", "section_code"),
        exact=("pm",),
        person_columns=("pm",),
    )


def conflicts_query(scope: Scope, on: date) -> Query:
    params: dict[str, Any] = {"on": on}
    a = ", ".join(f"sa.{c} AS a_{c}" for c in _SITE_COLUMNS if c not in ("source", "site_id"))
    b = ", ".join(f"sb.{c} AS b_{c}" for c in _SITE_COLUMNS if c not in ("source", "site_id"))
    sql = f"""
WITH {SITES.strip()}
SELECT pair.pm, pname.name AS pm_name, pair.a_source, pair.a_site, pair.b_source, pair.b_site,
       pair.overlap_from, pair.overlap_to, pair.is_current, {a}, {b}
FROM pair
JOIN site sa ON sa.source = pair.a_source AND sa.site_id = pair.a_site
JOIN site sb ON sb.source = pair.b_source AND sb.site_id = pair.b_site
LEFT JOIN pname ON pname.person_id = pair.pm
WHERE {_scope_sql("sa", scope, params)} OR {_scope_sql("sb", scope, params)}"""
    return Query(
        sql,
        params,
        order="is_current DESC, overlap_from DESC, pm, a_site, b_site",
        search=("pm_name", "a_site", "b_site", "a_name", "b_name", "a_section_code", "b_section_code"),
        exact=("pm",),
        person_columns=("pm",),
    )


def changes_query(scope: Scope) -> Query:
    params: dict[str, Any] = {}
    sql = f"""
WITH k AS (SELECT section_code, arg_max(project_manager_id, signed_date) AS pm, max(signed_date) AS signed_date,
                  arg_max(contract_id, signed_date) AS contract_id
           FROM contracts GROUP BY 1),
r AS (SELECT section_code, arg_min(project_manager_id, project_id) AS pm, min(project_id) AS project_id,
             arg_min(start_date, project_id) AS start_date
      FROM construction_projects WHERE section_code IS NOT NULL GROUP BY 1),
pname AS (SELECT person_id, min(name) AS name FROM (
              SELECT person_id, name FROM persons
              UNION ALL SELECT person_id, person_name FROM bid_personnel WHERE role = 'project_manager'
          ) GROUP BY 1)
SELECT a.section_code, s.name AS section_name, s.industry, s.region_code, a.winner_uscc, co.name AS winner_name,
       a.award_date, a.project_manager_id AS award_pm, pa.name AS award_pm_name,
       k.contract_id, k.signed_date, k.pm AS contract_pm, pk.name AS contract_pm_name,
       r.project_id, r.start_date AS registry_start, r.pm AS registry_pm, pr.name AS registry_pm_name,
       date_diff('day', a.award_date,
                 CASE WHEN k.pm IS NOT NULL AND k.pm <> a.project_manager_id THEN k.signed_date
                      ELSE r.start_date END) AS days_after_award,
       CAST(NULL AS BOOLEAN) AS approved
FROM awards a
JOIN sections s ON s.section_code = a.section_code
LEFT JOIN k ON k.section_code = a.section_code
LEFT JOIN r ON r.section_code = a.section_code
LEFT JOIN companies co ON co.uscc = a.winner_uscc
LEFT JOIN pname pa ON pa.person_id = a.project_manager_id
LEFT JOIN pname pk ON pk.person_id = k.pm
LEFT JOIN pname pr ON pr.person_id = r.pm
WHERE a.project_manager_id IS NOT NULL
  AND ((k.pm IS NOT NULL AND k.pm <> a.project_manager_id) OR (r.pm IS NOT NULL AND r.pm <> a.project_manager_id))
  AND {_scope_sql("s", scope, params)}"""
    return Query(
        sql,
        params,
        order="award_date DESC, section_code",
        search=("section_code", "section_name", "winner_name", "award_pm_name", "contract_pm_name"),
        exact=("award_pm", "contract_pm", "registry_pm"),
        person_columns=("award_pm", "contract_pm", "registry_pm"),
    )


def query_of(name: str, scope: Scope, on: date) -> Query:
    if name == "projects":
        return projects_query(scope)
    if name == "units":
        return units_query(scope, on)
    if name == "personnel":
        return personnel_query(scope)
    if name == "sites":
        return sites_query(scope, on)
    if name == "conflicts":
        return conflicts_query(scope, on)
    if name == "changes":
        return changes_query(scope)
    raise ValueError(f"unknown list {name}")


def persons_in(query: Query, rows: Iterable[dict[str, Any]]) -> list[str]:
    """The ID numbers a list's rows show, in order, without repeats (for the audit trail)."""
    found: dict[str, None] = {}
    for row in rows:
        for column in query.person_columns:
            value = row.get(column)
            if isinstance(value, str) and value:
                found[value] = None
    return list(found)


# ---- warnings about them ----------------------------------------------------------------------------


def _warning_scope(scope: Scope) -> Any:
    parts = []
    for prefix, industries in scope.grants:
        condition = Warning.region_code.startswith(prefix, autoescape=True)
        parts.append(condition & Warning.industry.in_(industries) if industries else condition)
    return or_(*parts) if parts else None


def related_warnings(
    *, db_session: Session, scope: Scope, limit: int | None = None, offset: int = 0
) -> tuple[int, list[Warning]]:
    """Warnings in scope raised by a personnel model (``RELATED_MODELS``), red first, newest first."""
    condition = _warning_scope(scope)
    if condition is None:
        return 0, []
    # models is a JSON list; its text names each model as "id": "C20" on both backends (warning.service).
    text = cast(Warning.models, String)
    by_model = or_(*(text.contains(f'"{m}"', autoescape=True) for m in RELATED_MODELS))
    base = select(Warning).where(condition, by_model)
    rows = list(db_session.scalars(base.order_by(Warning.id.desc())))
    order = {"red": 0, "orange": 1, "yellow": 2}
    rows.sort(key=lambda w: (order.get(w.grade, 3), -w.id))
    total = len(rows)
    return total, rows[offset : None if limit is None else offset + limit]


def warning_models(warning: Warning) -> list[str]:
    return [str(m.get("id")) for m in warning.models if str(m.get("id")) in RELATED_MODELS]


def warnings_for(conflict: dict[str, Any], warnings: Sequence[Warning]) -> list[Warning]:
    """The warnings about one conflict: on either site's section, naming either site as evidence, or
    about the manager himself."""
    sections = {conflict.get("a_section_code"), conflict.get("b_section_code")} - {None}
    sites = {conflict.get("a_site"), conflict.get("b_site")}
    found = []
    for w in warnings:
        keys = {str(e.get("key")) for e in w.evidence}
        if w.section_code in sections or keys & sites or conflict.get("pm") in (w.subject_id, *w.entities):
            found.append(w)
    return found

"""Each list of industry supervision equals a recount of the delivered records in plain Python, for the
department of the planted signals; a water bureau and a neighbouring county see none of its records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tenderwatch.industry import service
from tenderwatch.industry.service import Lake, Scope
from tests.industry.conftest import IndustryProvince, Records

ON = date(2026, 6, 30)  # the synthetic registry's snapshot date


@pytest.fixture(scope="module")
def lake(province: IndustryProvince) -> Iterator[Lake]:
    opened = service.open_lake(province.db)
    yield opened
    opened.close()


def scope_of(
    province: IndustryProvince, prefix: str | None = None, industries: tuple[str, ...] | None = None
) -> Scope:
    plant = province.plant
    return Scope(((prefix or plant.city, (plant.industry,) if industries is None else industries),))


def covers(scope: Scope, region: str, industry: str) -> bool:
    return any(region.startswith(p) and (not inds or industry in inds) for p, inds in scope.grants)


def rows(lake: Lake, name: str, scope: Scope) -> list[dict[str, Any]]:
    return service.fetch(lake, service.query_of(name, scope, ON))


def scope_sections(records: Records, scope: Scope) -> dict[str, dict[str, str]]:
    return {
        s["section_code"]: s for s in records["sections"] if covers(scope, s["region_code"], s["industry"])
    }


# ---- recounts ---------------------------------------------------------------------------------------


def recount_sites(records: Records) -> list[dict[str, object]]:
    """Registry sites and award-only sites with their periods, as docs/industry.md defines them."""
    found: list[dict[str, object]] = []
    registered = {r["section_code"] for r in records["construction_projects"] if r["section_code"]}
    project_of = {s["section_code"]: s["tender_project_code"] for s in records["sections"]}
    for r in records["construction_projects"]:
        end: str | None = r["completion_date"] or None
        if end is None and r["status"] == "completed":
            end = r["planned_completion"] or r["start_date"]
        found.append(
            {
                "id": r["project_id"],
                "pm": r["project_manager_id"],
                "start": r["start_date"],
                "end": end,
                "active": r["status"] in ("active", "suspended") and not r["completion_date"],
                "region": r["region_code"],
                "industry": r["industry"],
                "project": project_of.get(r["section_code"]),
            }
        )
    sections = {s["section_code"]: s for s in records["sections"]}
    latest: dict[str, dict[str, str]] = {}
    for k in sorted(records["contracts"], key=lambda k: k["signed_date"]):
        latest[k["section_code"]] = k
    durations = {(b["section_code"], b["bidder_uscc"]): b["duration_days"] for b in records["bids"]}
    for a in records["awards"]:
        contract = latest.get(a["section_code"])
        pm = (contract or {}).get("project_manager_id") or a["project_manager_id"]
        if not pm or a["section_code"] in registered:
            continue
        start = (contract or {}).get("signed_date") or a["award_date"]
        days = durations.get((a["section_code"], a["winner_uscc"]))
        end = (date.fromisoformat(start) + timedelta(days=int(days))).isoformat() if days else None
        section = sections[a["section_code"]]
        found.append(
            {
                "id": a["section_code"],
                "pm": pm,
                "start": start,
                "end": end,
                "active": end is None or end >= ON.isoformat(),
                "region": section["region_code"],
                "industry": section["industry"],
                "project": section["tender_project_code"],
            }
        )
    return found


def recount_conflicts(records: Records, scope: Scope) -> set[tuple[str, str, str]]:
    sites = recount_sites(records)
    pairs: set[tuple[str, str, str]] = set()
    far = "9999-12-31"
    for x in sites:
        for y in sites:
            if x["pm"] != y["pm"] or str(x["id"]) >= str(y["id"]):
                continue
            if x["project"] is not None and x["project"] == y["project"]:
                continue
            if not (str(x["start"]) < str(y["end"] or far) and str(y["start"]) < str(x["end"] or far)):
                continue
            if covers(scope, str(x["region"]), str(x["industry"])) or covers(
                scope, str(y["region"]), str(y["industry"])
            ):
                pairs.add((str(x["pm"]), str(x["id"]), str(y["id"])))
    return pairs


# ---- the department's lists -------------------------------------------------------------------------


def test_projects_equal_a_recount(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    found = rows(lake, "projects", scope)
    expected = {
        p["tender_project_code"]
        for p in province.records["tender_projects"]
        if covers(scope, p["region_code"], p["industry"])
    }
    assert expected and {r["tender_project_code"] for r in found} == expected
    per_project = Counter(s["tender_project_code"] for s in province.records["sections"])
    assert {r["tender_project_code"]: r["sections"] for r in found} == {c: per_project[c] for c in expected}
    assert service.count(lake, service.projects_query(scope)) == len(expected)
    # The planted project is under construction: its section's registry site is active.
    planted = next(s for s in province.records["sections"] if s["section_code"] == province.plant.section)
    project = next(r for r in found if r["tender_project_code"] == planted["tender_project_code"])
    sections = service.sections_of(lake, [str(project["tender_project_code"])])
    stage = {s["section_code"]: s["stage"] for s in sections[str(project["tender_project_code"])]}
    assert stage[province.plant.section] == "under_construction"


def test_units_equal_a_recount(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    sections = scope_sections(province.records, scope)
    bids: dict[str, set[str]] = {}
    for b in province.records["bids"]:
        if b["section_code"] in sections:
            bids.setdefault(b["bidder_uscc"], set()).add(b["section_code"])
    wins = Counter(a["winner_uscc"] for a in province.records["awards"] if a["section_code"] in sections)
    found = rows(lake, "units", scope)
    assert {r["uscc"]: (r["bids"], r["wins"]) for r in found} == {
        u: (len(s), wins.get(u, 0)) for u, s in bids.items()
    }
    # The planted winner counts its planted win.
    assert next(r for r in found if r["uscc"] == province.plant.firm)["wins"] >= 1


def test_personnel_equal_a_recount(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    sections = scope_sections(province.records, scope)
    named = {
        p["person_id"]
        for p in province.records["bid_personnel"]
        if p["section_code"] in sections and p["role"] in ("project_manager", "technical_lead")
    }
    awards = Counter(
        a["project_manager_id"]
        for a in province.records["awards"]
        if a["section_code"] in sections and a["project_manager_id"]
    )
    found = rows(lake, "personnel", scope)
    assert {r["person_id"] for r in found} == named | set(awards)
    assert {r["person_id"]: r["awards"] for r in found if r["awards"]} == dict(awards)
    # Certificates come from the 住建 registry, by ID number.
    certs = Counter(c["person_id"] for c in province.records["certificates"])
    assert {r["person_id"]: len(r["certificates"]) for r in found} == {
        p: certs.get(p, 0) for p in named | set(awards)
    }


def test_sites_equal_a_recount(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    expected = {
        str(s["id"])
        for s in recount_sites(province.records)
        if s["active"] and covers(scope, str(s["region"]), str(s["industry"]))
    }
    found = rows(lake, "sites", scope)
    assert {r["site_id"] for r in found} == expected
    assert province.plant.site in expected
    planted = next(r for r in found if r["site_id"] == province.plant.site)
    assert planted["pm"] == province.plant.pm and planted["in_conflict"] is True


def test_the_planted_conflict_with_its_evidence(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    found = rows(lake, "conflicts", scope)
    assert {(r["pm"], r["a_site"], r["b_site"]) for r in found} == recount_conflicts(province.records, scope)
    plant = province.plant
    mine = [r for r in found if r["pm"] == plant.pm]
    assert {s for r in mine for s in (r["a_site"], r["b_site"])} == {plant.site, *plant.other_sites}
    for r in mine:
        planted_first = r["a_site"] == plant.site
        site = {k[2:]: v for k, v in r.items() if k.startswith("a_" if planted_first else "b_")}
        other = {k[2:]: v for k, v in r.items() if k.startswith("b_" if planted_first else "a_")}
        # Both projects with their dates: the evidence a verifier needs.
        assert site["section_code"] == plant.section and site["contractor_uscc"] == plant.firm
        assert site["completed"] is None and site["status"] == "active"
        assert r["overlap_from"] == max(site["started"], other["started"])
        assert r["overlap_to"] == other["period_end"]


def test_the_planted_change_after_award(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    sections = scope_sections(province.records, scope)
    latest: dict[str, str] = {}
    for k in sorted(province.records["contracts"], key=lambda k: k["signed_date"]):
        latest[k["section_code"]] = k["project_manager_id"]
    registry: dict[str, str] = {}
    for r in sorted(province.records["construction_projects"], key=lambda r: r["project_id"], reverse=True):
        if r["section_code"]:
            registry[r["section_code"]] = r["project_manager_id"]
    expected = {
        a["section_code"]
        for a in province.records["awards"]
        if a["section_code"] in sections
        and a["project_manager_id"]
        and (
            latest.get(a["section_code"], a["project_manager_id"]) not in ("", a["project_manager_id"])
            or registry.get(a["section_code"], a["project_manager_id"]) not in ("", a["project_manager_id"])
        )
    }
    found = rows(lake, "changes", scope)
    assert {r["section_code"] for r in found} == expected
    change = next(r for r in found if r["section_code"] == province.plant.change_section)
    assert (change["award_pm"], change["contract_pm"]) == (
        province.plant.change_award_pm,
        province.plant.change_contract_pm,
    )
    assert change["approved"] is None  # no source unit says
    assert isinstance(change["days_after_award"], int)


def test_the_synthetic_provinces_own_plants_show(province: IndustryProvince, lake: Lake) -> None:
    """The synth plants one manager on two registry sites and a contract naming another manager than its
    award (truth "registry" and "C22"); both show province-wide."""
    everything = Scope((("33", ()),))
    conflicts = rows(lake, "conflicts", everything)
    changes = {r["section_code"]: r for r in rows(lake, "changes", everything)}
    two_sites = [e for e in province.truth["schemes"] if e["model"] == "registry"]
    substitutions = [e for e in province.truth["schemes"] if e["model"] == "C22"]
    assert two_sites and substitutions
    for e in two_sites:
        assert any(
            r["pm"] == e["persons"][0] and e["detail"]["site"] in (r["a_site"], r["b_site"])
            for r in conflicts
        )
    for e in substitutions:
        if e["sections"][0] in (province.plant.section, province.plant.change_section):
            continue  # the tests' own plant rewrote it
        change = changes[e["sections"][0]]
        assert (change["award_pm"], change["contract_pm"]) == tuple(e["persons"])


def test_a_water_bureau_sees_no_building_records(province: IndustryProvince, lake: Lake) -> None:
    water = scope_of(province, industries=("water",))
    for name in service.DASHBOARD_LISTS + service.CONSTRUCTION_LISTS:
        assert all(r.get("industry") in (None, "water") for r in rows(lake, name, water)), name
    assert province.plant.industry != "water"
    assert province.plant.section not in {
        c for r in rows(lake, "projects", water) for c in str(r["section_codes"] or "").split()
    }
    assert province.plant.site not in {r["site_id"] for r in rows(lake, "sites", water)}
    assert all(province.plant.pm != r["pm"] for r in rows(lake, "conflicts", water))


def test_a_neighbouring_county_sees_none_of_ours(province: IndustryProvince, lake: Lake) -> None:
    plant = province.plant
    neighbour = scope_of(province, prefix=plant.neighbour)
    for name in ("projects", "sites", "changes"):
        assert all(str(r["region_code"]).startswith(plant.neighbour) for r in rows(lake, name, neighbour)), (
            name
        )
    for r in rows(lake, "conflicts", neighbour):
        assert plant.neighbour in (str(r["a_region_code"])[:6], str(r["b_region_code"])[:6])
    sections = scope_sections(province.records, neighbour)
    assert plant.section not in sections
    bidders = {b["bidder_uscc"] for b in province.records["bids"] if b["section_code"] in sections}
    assert {r["uscc"] for r in rows(lake, "units", neighbour)} == bidders
    assert plant.pm not in {r["pm"] for r in rows(lake, "sites", neighbour)}


def test_an_empty_scope_sees_nothing(lake: Lake) -> None:
    nobody = Scope(())
    for name in service.DASHBOARD_LISTS + service.CONSTRUCTION_LISTS:
        assert service.count(lake, service.query_of(name, nobody, ON)) == 0


def test_search_narrows_the_list(province: IndustryProvince, lake: Lake) -> None:
    scope = scope_of(province)
    query = service.sites_query(scope, ON)
    assert [r["site_id"] for r in service.fetch(lake, query, province.plant.site)] == [province.plant.site]
    assert service.count(lake, query, province.plant.pm) >= 1  # an ID number matches exactly
    assert service.count(lake, query, "no-such-site-anywhere") == 0


def test_scope_of_grants() -> None:
    scope = Scope((("3301", ("building",)), ("3306", ())))
    assert scope.industries() == service.INDUSTRIES
    assert scope.narrow("water").grants == (("3306", ("water",)),)
    assert scope.narrow("building").grants == (("3301", ("building",)), ("3306", ("building",)))
    assert Scope((("33", ("water", "building")),)).industries() == ("building", "water")

"""The tiny synthetic province with two planted personnel signals for industry supervision, run through
detection once per session, and users of its department, a water bureau and a neighbouring county.

Planted on top of the synth, as a second delivery of 住建 records (the synth itself plants neither):

- **conflict**: the firm of the first C20 scheme (its project manager was live on another site when it
  bid) is made the winner of that section, with that manager on the award, the contract and the
  section's registry site, which is still active. The manager's other site overlaps it: one manager on
  two sites at once. C20's warning on the section is the warning about it.
- **change**: another awarded section of the same city and industry gets a contract naming another
  manager than its award.

``Records`` reads the same files with plain Python, so the tests recount every list without DuckDB.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tenderwatch.auth import service as auth_service
from tenderwatch.common.regions import counties
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.synth import generate
from tenderwatch.warning.models import Warning
from tenderwatch.web.app import create_app
from tests.web.conftest import CSRF_RE

PASSWORD = "industry-test-password"
KEYS = {
    "awards": ("section_code",),
    "contracts": ("contract_id",),
    "construction_projects": ("project_id",),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


class Records:
    """Every delivered record as plain dicts, later deliveries replacing earlier ones by key."""

    def __init__(self, folders: list[Path]) -> None:
        self.tables: dict[str, list[dict[str, str]]] = {}
        for folder in folders:
            for path in sorted(folder.glob("*.csv")):
                rows = read_csv(path)
                key = KEYS.get(path.stem)
                if key is None or path.stem not in self.tables:
                    self.tables.setdefault(path.stem, []).extend(rows)
                    continue
                index = {tuple(r[k] for k in key): i for i, r in enumerate(self.tables[path.stem])}
                for row in rows:
                    where = index.get(tuple(row[k] for k in key))
                    if where is None:
                        self.tables[path.stem].append(row)
                    else:
                        self.tables[path.stem][where] = row

    def __getitem__(self, name: str) -> list[dict[str, str]]:
        return self.tables[name]


@dataclass
class Plant:
    section: str  # the section won while its manager was live elsewhere
    site: str  # its registry site
    other_sites: list[str]  # the manager's other sites overlapping it
    pm: str
    firm: str
    change_section: str
    change_award_pm: str
    change_contract_pm: str
    region: str  # county of the conflict's section
    city: str
    industry: str
    neighbour: str  # a county of the same city with none of the planted sites


@dataclass
class IndustryProvince:
    settings: Settings
    db: Database
    records: Records
    plant: Plant
    c20_warning: int
    truth: dict[str, Any]


def _plant(out: Path, plant_dir: Path) -> Plant:
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    sites = read_csv(out / "construction_projects.csv")
    awards = {r["section_code"]: r for r in read_csv(out / "awards.csv")}
    contracts = {r["section_code"]: r for r in read_csv(out / "contracts.csv")}
    sections = {r["section_code"]: r for r in read_csv(out / "sections.csv")}
    site_of = {r["section_code"]: r for r in sites if r["section_code"]}
    scheme = next(
        s
        for s in truth["schemes"]
        if s["model"] == "C20" and s["sections"][0] in site_of and s["sections"][0] in contracts
    )
    sec, firm, pm = scheme["sections"][0], scheme["companies"][0], scheme["persons"][0]
    site = dict(
        site_of[sec], contractor_uscc=firm, project_manager_id=pm, status="active", completion_date=""
    )

    def end(r: dict[str, str]) -> str:
        if r["completion_date"]:
            return r["completion_date"]
        return (r["planned_completion"] or r["start_date"]) if r["status"] == "completed" else "9999-12-31"

    # The planted site is open (active, no completion), so any other site ending after it starts overlaps.
    others = [
        r["project_id"]
        for r in sites
        if r["project_manager_id"] == pm
        and r["project_id"] != site["project_id"]
        and site["start_date"] < end(r)
    ]
    assert others, "the C20 manager must have a site overlapping the planted one"
    award = dict(awards[sec], winner_uscc=firm, project_manager_id=pm)
    contract = dict(contracts[sec], contractor_uscc=firm, project_manager_id=pm)
    section = sections[sec]
    city, industry = section["region_code"][:4], section["industry"]
    persons = [r["person_id"] for r in read_csv(out / "persons.csv")]
    change = next(
        s
        for s, a in sorted(awards.items())
        if s != sec
        and s in contracts
        and a["project_manager_id"]
        and sections[s]["region_code"].startswith(city)
        and sections[s]["industry"] == industry
    )
    new_pm = next(p for p in persons if p not in (awards[change]["project_manager_id"], pm))
    changed = dict(contracts[change], project_manager_id=new_pm)
    plant_dir.mkdir()
    write_csv(plant_dir / "awards.csv", [award])
    write_csv(plant_dir / "contracts.csv", [contract, changed])
    write_csv(plant_dir / "construction_projects.csv", [site])
    taken = {section["region_code"]} | {r["region_code"] for r in sites if r["project_id"] in others}
    neighbour = next(c.code for c in counties(city + "00") if c.code not in taken)
    return Plant(
        section=sec,
        site=site["project_id"],
        other_sites=others,
        pm=pm,
        firm=firm,
        change_section=change,
        change_award_pm=awards[change]["project_manager_id"],
        change_contract_pm=new_pm,
        region=section["region_code"],
        city=city,
        industry=industry,
        neighbour=neighbour,
    )


USERS = {
    # name: (role, region: "city" | "neighbour" | "province", industries: "own" | list)
    "ind-regulator": ("regulator", "city", "own"),
    "ind-water": ("regulator", "city", ["water"]),
    "ind-neighbour": ("regulator", "neighbour", "own"),
    "ind-inspector": ("inspector", "city", []),
    "ind-admin": ("admin", "province", []),
    "ind-reviewer": ("reviewer", "province", []),
    "ind-steward": ("data_steward", "province", []),
}


def build(root: Path) -> IndustryProvince:
    """Generate, plant, import, detect and add the users; the caller disposes of ``db``."""
    out = root / "synth"
    generate("tiny", 1, out)
    plant = _plant(out, root / "plant")
    settings = Settings(data_dir=root / "var")
    database = Database(settings)
    database.upgrade()
    for folder in (out, root / "plant"):
        results = ingest_paths(database, [folder])
        assert all(r.rejected == 0 and r.status == "committed" for r in results), results
    summary = detect(database)
    assert summary.warnings.get("raised", 0) > 0
    regions = {"city": plant.city, "neighbour": plant.neighbour, "province": "33"}
    with database.transaction() as session:
        for name, (role, where, industries) in USERS.items():
            auth_service.create_user(
                db_session=session,
                username=name,
                display_name=name,
                password=PASSWORD,
                grants=[
                    (role, regions[where], [plant.industry] if industries == "own" else list(industries))
                ],
            )
    with database.session() as session:
        found = [
            w.id
            for w in session.scalars(select(Warning).where(Warning.section_code == plant.section))
            if any(m.get("id") == "C20" for m in w.models)
        ]
    assert found, "the planted section must carry C20's warning"
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return IndustryProvince(settings, database, Records([out, root / "plant"]), plant, found[0], truth)


@pytest.fixture(scope="session")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndustryProvince]:
    built = build(tmp_path_factory.mktemp("industry"))
    yield built
    built.db.dispose()


@pytest.fixture(scope="session")
def app(province: IndustryProvince) -> FastAPI:
    return create_app(province.settings)


def sign_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    match = CSRF_RE.search(client.get("/login").text)
    assert match
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": match.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client

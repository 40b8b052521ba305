"""tenderwatch's current data → OCDS compiled releases with the bids extension, one per section.

Read from the lake's current views, so an export shows what detection sees. Every release carries
the parties it names (id = USCC, identifier scheme CN-USCC); see docs/ocds-exchange.md for the table.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson

from tenderwatch.audit.service import record as audit
from tenderwatch.catalog import get_catalog
from tenderwatch.cli_common import cli_actor
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.lake import views
from tenderwatch.ocds.exchange.conventions import (
    CURRENCY,
    EVALUATION_TO_CRITERIA,
    INDUSTRY_TO_CATEGORY,
    PROCEDURE_TO_METHOD,
    USCC_SCHEME,
    amount_number,
    ocds_datetime,
    ocid_for,
)

BID_EXTENSION_URL = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"
)
Record = dict[str, Any]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Record]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _grouped(rows: list[Record], key: str) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for row in rows:
        out.setdefault(str(row[key]), []).append(row)
    return out


def _value(amount: Any) -> dict[str, Any] | None:
    number = amount_number(amount)
    return None if number is None else {"amount": number, "currency": CURRENCY}


def _compact(data: Any) -> Any:
    """Drop empty values: OCDS reads a missing field as unknown, and empty strings are not allowed."""
    if isinstance(data, dict):
        pairs = ((k, _compact(v)) for k, v in data.items())
        return {k: v for k, v in pairs if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [c for c in (_compact(v) for v in data) if c not in (None, "", [], {})]
    return data


class _Parties:
    """The parties of one release: one entry per company, roles gathered as they are named."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.entries: dict[str, Record] = {}

    def ref(self, uscc: str | None, role: str, name: str | None = None) -> Record | None:
        if not uscc:
            return None
        label = name or self.names.get(uscc) or uscc  # a name is required by OCDS; the code stands in
        entry = self.entries.setdefault(
            uscc,
            {
                "id": uscc,
                "name": label,
                "identifier": {"scheme": USCC_SCHEME, "id": uscc, "legalName": label},
                "roles": [],
            },
        )
        if role not in entry["roles"]:
            entry["roles"].append(role)
        return {"id": uscc, "name": entry["name"]}


def _label(enum: str, code: Any) -> str | None:
    return None if code is None else get_catalog().enum_label(enum, str(code), "zh_CN")


def build_release(
    section: Record,
    project: Record | None,
    bids: list[Record],
    awards: list[Record],
    contracts: list[Record],
    names: dict[str, str],
) -> Record:
    code = str(section["section_code"])
    ocid = ocid_for(code)
    parties = _Parties(names)
    project = project or {}
    buyer = parties.ref(project.get("tenderer_uscc"), "buyer", project.get("tenderer_name"))
    # The tender agency runs the procedure for the tenderer; without one the tenderer runs it itself.
    agency = parties.ref(project.get("agency_uscc"), "procuringEntity")
    if agency is None:
        parties.ref(project.get("tenderer_uscc"), "procuringEntity")
    details = []
    for bid in bids:
        tenderer = parties.ref(bid["bidder_uscc"], "tenderer", bid["bidder_name"])
        disq = bid.get("disqualified")
        details.append(
            {
                "id": str(bid["bidder_uscc"]),
                "date": ocds_datetime(bid.get("submit_time")),
                "status": "pending" if disq is None else ("disqualified" if disq else "valid"),
                "tenderers": [tenderer],
                "value": _value(bid.get("bid_price")),
            }
        )
    award_list = []
    for award in awards:
        award_list.append(
            {
                "id": code,
                "status": "active",
                "date": ocds_datetime(award.get("award_date")),
                "value": _value(award.get("award_price")),
                "suppliers": [parties.ref(award["winner_uscc"], "supplier")],
            }
        )
    contract_list = []
    for contract in contracts:
        if award_list and contract.get("contractor_uscc") != awards[0].get("winner_uscc"):
            parties.ref(contract.get("contractor_uscc"), "supplier")
        contract_list.append(
            {
                "id": str(contract["contract_id"]),
                "awardID": code if award_list else None,
                "status": "active",
                "value": _value(contract.get("contract_price")),
                "dateSigned": ocds_datetime(contract.get("signed_date")),
            }
        )
    dates = [
        section.get("announce_time"),
        *(a.get("award_date") for a in awards),
        *(c.get("signed_date") for c in contracts),
    ]
    latest = max((ocds_datetime(d) or "" for d in dates if d is not None), default="")
    valid = sum(1 for b in bids if b.get("disqualified") is False)
    release = {
        "ocid": ocid,
        "id": f"{ocid}-{latest}",
        "date": latest,
        "tag": ["compiled"],
        "initiationType": "tender",
        "language": "zh",
        "buyer": buyer,
        "planning": {
            "budget": {
                "project": project.get("name"),
                "projectID": project.get("project_code"),
                "amount": _value(section.get("estimate_price")),
            }
        },
        "tender": {
            "id": str(section["tender_project_code"]),
            "title": section.get("name"),
            "procuringEntity": agency or buyer,
            "value": _value(section.get("control_price")),
            "procurementMethod": PROCEDURE_TO_METHOD.get(str(section.get("procedure"))),
            "procurementMethodDetails": _label("procedure", section.get("procedure")),
            "mainProcurementCategory": INDUSTRY_TO_CATEGORY.get(str(section.get("industry"))),
            "awardCriteria": EVALUATION_TO_CRITERIA.get(str(section.get("evaluation_method"))),
            "awardCriteriaDetails": _label("evaluation_method", section.get("evaluation_method")),
            "tenderPeriod": {
                "startDate": ocds_datetime(section.get("announce_time")),
                "endDate": ocds_datetime(section.get("bid_deadline")),
            },
            "awardPeriod": {"startDate": ocds_datetime(section.get("open_time"))},
            "numberOfTenderers": len(bids),
            "tenderers": [{"id": str(b["bidder_uscc"]), "name": b["bidder_name"]} for b in bids],
            "industry": section.get("industry"),
            "regionCode": section.get("region_code"),
        },
        "bids": {
            "statistics": [
                {"id": "bids", "measure": "bids", "value": len(bids)},
                {"id": "validBids", "measure": "validBids", "value": valid},
            ]
            if bids
            else [],
            "details": details,
        },
        "awards": award_list,
        "contracts": contract_list,
        "parties": list(parties.entries.values()),
    }
    compacted: Record = _compact(release)
    return compacted


def iter_releases(db: Database) -> Iterator[Record]:
    """Compiled releases of every section in the lake's current views, in section-code order."""
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = views.connect(get_catalog(), batches, db.settings.duckdb_memory_limit, db.settings.duckdb_threads)
    try:
        projects = {str(r["tender_project_code"]): r for r in _rows(con, "SELECT * FROM tender_projects")}
        bids = _grouped(
            _rows(con, "SELECT * FROM bids ORDER BY section_code, submit_time, bidder_uscc"), "section_code"
        )
        awards = _grouped(_rows(con, "SELECT * FROM awards"), "section_code")
        contracts = _grouped(_rows(con, "SELECT * FROM contracts ORDER BY contract_id"), "section_code")
        names = {str(u): str(n) for u, n in con.execute("SELECT uscc, name FROM companies").fetchall()}
        sections = _rows(con, "SELECT * FROM sections ORDER BY section_code")
    finally:
        con.close()
    for section in sections:
        code = str(section["section_code"])
        yield build_release(
            section,
            projects.get(str(section["tender_project_code"])),
            bids.get(code, []),
            awards.get(code, []),
            contracts.get(code, []),
            names,
        )


def export_file(db: Database, out: Path, *, package: bool = False, actor: str | None = None) -> int:
    """Write the releases (JSON Lines, or one release package); returns how many. Atomic: temp + rename.

    The export is audited (``actor`` defaults to the operator's OS account): the file appears in the
    transaction that records it, so there is no exported file without its audit event."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.partial")
    count = 0
    with temporary.open("wb") as handle:
        if package:
            releases = list(iter_releases(db))
            count = len(releases)
            document = {
                "uri": f"urn:tenderwatch:ocds:{out.name}",
                "version": "1.1",
                "extensions": [BID_EXTENSION_URL],
                "publishedDate": datetime.now(UTC).replace(microsecond=0).isoformat(),
                "publisher": {"name": "tenderwatch 招投标智慧监管监督系统"},
                "releases": releases,
            }
            handle.write(orjson.dumps(document))
        else:
            for release in iter_releases(db):
                handle.write(orjson.dumps(release, option=orjson.OPT_APPEND_NEWLINE))
                count += 1
        handle.flush()
        os.fsync(handle.fileno())
    details = {"format": "package" if package else "jsonl", "releases": count, "file": out.name}
    try:
        with db.transaction() as session:
            audit(session, actor or cli_actor(), "export", "ocds", "compiled_releases", details=details)
            os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count

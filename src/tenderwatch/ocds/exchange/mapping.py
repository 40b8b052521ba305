"""OCDS compiled release → catalogue records (tender_projects, sections, bids, awards, contracts).

One contracting process (ocid) is one section. Every cell is produced as text, exactly as if a source
unit had delivered it, and remembers the JSON path it came from: the catalogue validation then decides
as for any delivery, and a rejected record names the OCDS field that caused it. Values the mapping
cannot turn into the catalogue's form (an amount in another currency, a date without a time zone) are
passed on as they are, so the catalogue rejects them with its usual reason instead of this module
guessing. The full table, with what is lost, is in docs/ocds-exchange.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tenderwatch.catalog import get_catalog
from tenderwatch.ocds.exchange.conventions import (
    CATEGORY_TO_INDUSTRY,
    CRITERIA_TO_EVALUATION,
    CURRENCY,
    METHOD_TO_PROCEDURE,
    is_ours,
    local_datetime,
    section_code_for,
    uscc_of,
)

MAPPED_DATASETS = ("tender_projects", "sections", "bids", "awards", "contracts")
WITHDRAWN_REASON = "投标人撤回投标 / withdrawn by the bidder"


@dataclass(slots=True)
class Row:
    """One catalogue record: text cells and, per field, the JSON path of its source."""

    cells: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: str | None, path: str) -> None:
        self.cells[name] = "" if value is None else value
        self.paths[name] = path


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _number_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return str(value)
    try:
        return format(Decimal(str(value)), "f")
    except InvalidOperation:
        return str(value)


def _money(value: Any) -> str | None:
    """Yuan as text; an amount in another currency is kept with its currency so it is rejected."""
    if not isinstance(value, dict):
        return None
    amount = _number_text(value.get("amount"))
    currency = value.get("currency")
    if amount is not None and currency not in (None, CURRENCY):
        return f"{amount} {currency}"
    return amount


def _datetime(value: Any) -> str | None:
    if value is None:
        return None
    parsed = local_datetime(value)
    return parsed.strftime("%Y-%m-%d %H:%M:%S") if parsed else str(value)


def _date(value: Any) -> str | None:
    if value is None:
        return None
    parsed = local_datetime(value)
    return parsed.strftime("%Y-%m-%d") if parsed else str(value)


def _enum_value(enum: str, text: Any) -> str | None:
    """A catalogue code when ``text`` is one of the enum's codes or Chinese labels, else None."""
    if not isinstance(text, str):
        return None
    labels = get_catalog().enums[enum]
    if text in labels:
        return text
    return next((code for code, label in labels.items() if label.zh == text), None)


def parties_by_id(release: dict[str, Any]) -> dict[str, dict[str, Any]]:
    parties = release.get("parties")
    if not isinstance(parties, list):
        return {}
    return {str(p["id"]): p for p in parties if isinstance(p, dict) and p.get("id") is not None}


def map_release(release: dict[str, Any]) -> dict[str, list[Row]]:
    """The catalogue records of one compiled release."""
    ocid = str(release["ocid"])
    parties = parties_by_id(release)
    raw_tender = release.get("tender")
    tender: dict[str, Any] = raw_tender if isinstance(raw_tender, dict) else {}
    section_code = section_code_for(ocid)
    out: dict[str, list[Row]] = {name: [] for name in MAPPED_DATASETS}

    section = Row()
    section.put("section_code", section_code, "ocid")
    project_code = tender.get("id")
    section.put("tender_project_code", str(project_code) if project_code else section_code, "tender.id")
    section.put("name", tender.get("title"), "tender.title")
    industry = _enum_value("industry", tender.get("industry")) or CATEGORY_TO_INDUSTRY.get(
        str(tender.get("mainProcurementCategory"))
    )
    section.put("industry", industry, "tender.industry")
    region = tender.get("regionCode") or _buyer_region(release, parties)
    section.put("region_code", region if isinstance(region, str) else None, "tender.regionCode")
    procedure = _enum_value("procedure", tender.get("procurementMethodDetails")) or METHOD_TO_PROCEDURE.get(
        str(tender.get("procurementMethod"))
    )
    section.put("procedure", procedure, "tender.procurementMethodDetails")
    evaluation = _enum_value(
        "evaluation_method", tender.get("awardCriteriaDetails")
    ) or CRITERIA_TO_EVALUATION.get(str(tender.get("awardCriteria")))
    section.put("evaluation_method", evaluation, "tender.awardCriteriaDetails")
    section.put(
        "estimate_price", _money(_get(release, "planning", "budget", "amount")), "planning.budget.amount"
    )
    section.put("control_price", _money(tender.get("value")), "tender.value.amount")
    section.put(
        "announce_time", _datetime(_get(tender, "tenderPeriod", "startDate")), "tender.tenderPeriod.startDate"
    )
    section.put(
        "bid_deadline", _datetime(_get(tender, "tenderPeriod", "endDate")), "tender.tenderPeriod.endDate"
    )
    section.put(
        "open_time", _datetime(_get(tender, "awardPeriod", "startDate")), "tender.awardPeriod.startDate"
    )
    out["sections"].append(section)

    out["tender_projects"].append(_project(release, tender, section, parties))
    out["bids"].extend(_bids(release, section_code, parties))
    awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
    out["awards"].extend(_awards(awards, section_code, parties))
    out["contracts"].extend(_contracts(release, awards, section_code, parties))
    return out


def _buyer_region(release: dict[str, Any], parties: dict[str, dict[str, Any]]) -> Any:
    buyer = release.get("buyer")
    party = parties.get(str(buyer.get("id")), {}) if isinstance(buyer, dict) else {}
    region = _get(party, "address", "region")
    return region if isinstance(region, str) and region.isdigit() and len(region) == 6 else None


def _project(
    release: dict[str, Any], tender: dict[str, Any], section: Row, parties: dict[str, dict[str, Any]]
) -> Row:
    project = Row()
    project.put("tender_project_code", section.cells["tender_project_code"], "tender.id")
    budget = _get(release, "planning", "budget")
    project.put("project_code", _get(budget, "projectID"), "planning.budget.projectID")
    name = _get(budget, "project") or tender.get("title")
    project.put("name", name if isinstance(name, str) else None, "planning.budget.project")
    project.put("industry", section.cells["industry"], "tender.industry")
    project.put("region_code", section.cells["region_code"], "tender.regionCode")
    buyer_id, buyer_name = uscc_of(release.get("buyer"), parties)
    project.put("tenderer_uscc", buyer_id, "buyer.id")
    project.put("tenderer_name", buyer_name, "buyer.name")
    agency_id, _ = uscc_of(tender.get("procuringEntity"), parties)
    project.put("agency_uscc", agency_id if agency_id != buyer_id else None, "tender.procuringEntity.id")
    # No OCDS field holds the registration date; the tender's start (announcement) is the closest.
    registered = _get(tender, "tenderPeriod", "startDate") or release.get("date")
    project.put("registered_at", _date(registered), "tender.tenderPeriod.startDate")
    return project


def _bids(release: dict[str, Any], section_code: str, parties: dict[str, dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    details = _get(release, "bids", "details")
    for i, bid in enumerate(details if isinstance(details, list) else []):
        if not isinstance(bid, dict) or bid.get("status") == "invited":
            continue  # an invitation is not a bid: it has no price and no bidder's file
        at = f"bids.details[{i}]"
        tenderers = bid.get("tenderers") if isinstance(bid.get("tenderers"), list) else []
        # A consortium bid is keyed by its first (lead) tenderer, as the trading centre records it.
        uscc, name = uscc_of(tenderers[0] if tenderers else None, parties)
        row = Row()
        row.put("section_code", section_code, at)  # a repeated key is this element's fault
        row.put("bidder_uscc", uscc, f"{at}.tenderers[0].id")
        row.put("bidder_name", name, f"{at}.tenderers[0].name")
        row.put("bid_price", _money(bid.get("value")), f"{at}.value.amount")
        row.put("submit_time", _datetime(bid.get("date")), f"{at}.date")
        status = bid.get("status")
        flag = {"valid": "false", "disqualified": "true", "withdrawn": "true"}.get(str(status))
        row.put("disqualified", flag, f"{at}.status")
        row.put("disqualify_reason", WITHDRAWN_REASON if status == "withdrawn" else None, f"{at}.status")
        rows.append(row)
    return rows


def _awards(awards: list[dict[str, Any]], section_code: str, parties: dict[str, dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for i, award in enumerate(awards):
        if award.get("status") not in (None, "active"):
            continue  # pending, cancelled or unsuccessful awards name no winner
        at = f"awards[{i}]"
        suppliers = award.get("suppliers") if isinstance(award.get("suppliers"), list) else []
        uscc, _ = uscc_of(suppliers[0] if suppliers else None, parties)
        row = Row()
        row.put("section_code", section_code, at)  # a repeated key is this element's fault
        row.put("winner_uscc", uscc, f"{at}.suppliers[0].id")
        row.put("award_price", _money(award.get("value")), f"{at}.value.amount")
        row.put("award_date", _date(award.get("date")), f"{at}.date")
        rows.append(row)
    return rows


def _contracts(
    release: dict[str, Any],
    awards: list[dict[str, Any]],
    section_code: str,
    parties: dict[str, dict[str, Any]],
) -> list[Row]:
    rows: list[Row] = []
    ocid = str(release["ocid"])
    by_id = {str(a.get("id")): a for a in awards}
    contracts = release.get("contracts")
    for i, contract in enumerate(contracts if isinstance(contracts, list) else []):
        if not isinstance(contract, dict) or contract.get("status") == "cancelled":
            continue
        at = f"contracts[{i}]"
        award = by_id.get(str(contract.get("awardID")), {})
        suppliers = award.get("suppliers") if isinstance(award.get("suppliers"), list) else []
        uscc, _ = uscc_of(suppliers[0] if suppliers else None, parties)
        contract_id = str(contract.get("id", ""))
        row = Row()
        # Contract ids are unique only inside a process; our own are catalogue ids already.
        row.put("contract_id", contract_id if is_ours(ocid) else f"{ocid}/{contract_id}", f"{at}.id")
        row.put("section_code", section_code, at)  # a repeated key is this element's fault
        row.put("contractor_uscc", uscc, f"{at}.awardID")
        row.put("contract_price", _money(contract.get("value")), f"{at}.value.amount")
        row.put("signed_date", _date(contract.get("dateSigned")), f"{at}.dateSigned")
        rows.append(row)
    return rows

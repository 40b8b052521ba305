"""The conventions shared by import and export: identifiers, code lists, dates and money.

Kept in one place so the two directions cannot drift apart: whatever export writes, import reads
back to the same catalogue value.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

# tenderwatch's ocid prefix. A real publisher registers "ocds-" plus six characters with the Open
# Contracting Partnership; until the province does, this placeholder marks our own processes.
OCID_PREFIX = "ocds-tndrwt-"
USCC_SCHEME = "CN-USCC"
CURRENCY = "CNY"
# Catalogue times are Beijing time without an offset; OCDS needs RFC 3339 with one.
CHINA = timezone(timedelta(hours=8))

# Catalogue procedure → OCDS tender.procurementMethod (closed codelist method.csv). The exact
# procedure travels as its Chinese label in procurementMethodDetails; the code is the fallback.
PROCEDURE_TO_METHOD = {
    "open": "open",
    "invited": "selective",
    "negotiation": "limited",
    "consultation": "limited",
    "inquiry": "selective",
}
METHOD_TO_PROCEDURE = {
    "open": "open",
    "selective": "invited",
    "limited": "negotiation",
    "direct": "negotiation",
}

# Catalogue evaluation method → OCDS tender.awardCriteria (awardCriteria.csv); the exact method
# travels as its Chinese label in awardCriteriaDetails.
EVALUATION_TO_CRITERIA = {
    "comprehensive": "ratedCriteria",
    "lowest_price": "priceOnly",
    "reasonable_low": "priceOnly",
    "separate": "ratedCriteria",
}
CRITERIA_TO_EVALUATION = {
    "priceOnly": "lowest_price",
    "costOnly": "lowest_price",
    "lowestCost": "lowest_price",
    "ratedCriteria": "comprehensive",
    "qualityOnly": "comprehensive",
    "bestProposal": "comprehensive",
    "bestValueToGovernment": "comprehensive",
}

# Catalogue industry → OCDS tender.mainProcurementCategory (procurementCategory.csv); the exact
# industry travels in the local field tender.industry.
INDUSTRY_TO_CATEGORY = {
    "building": "works",
    "transport": "works",
    "water": "works",
    "procurement": "goods",
    "other": "services",
}
CATEGORY_TO_INDUSTRY = {"works": "building", "goods": "procurement", "services": "procurement"}


def ocid_for(section_code: str) -> str:
    return OCID_PREFIX + section_code


def section_code_for(ocid: str) -> str:
    """Our own processes give back their section code; anyone else's ocid is the code itself."""
    return ocid[len(OCID_PREFIX) :] if ocid.startswith(OCID_PREFIX) else ocid


def is_ours(ocid: str) -> bool:
    return ocid.startswith(OCID_PREFIX)


def ocds_datetime(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=CHINA, microsecond=0).isoformat()


def local_datetime(value: Any) -> datetime | None:
    """An OCDS date-time as naive Beijing time; None when it is not a date-time at all."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(CHINA)
    return parsed.replace(tzinfo=None)


def amount_number(value: Decimal | float | int | None) -> int | float | None:
    """A catalogue amount as a JSON number: integral amounts stay integers."""
    if value is None:
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def uscc_of(reference: Any, parties: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
    """(company id, name) of an organisation reference.

    Rule: when the referenced party has ``identifier.scheme`` = CN-USCC its ``identifier.id`` is the
    USCC; otherwise an id of the form ``CN-USCC-<code>`` gives the code; otherwise the id is taken
    as it is and the catalogue's USCC check decides (and rejects it, with its usual reason).
    """
    if not isinstance(reference, dict):
        return None, None
    raw_id = reference.get("id")
    ref_id = None if raw_id is None else str(raw_id)
    party = parties.get(ref_id or "", {})
    name = reference.get("name") or party.get("name")
    identifier = (
        party.get("identifier") if isinstance(party.get("identifier"), dict) else reference.get("identifier")
    )
    if isinstance(identifier, dict) and identifier.get("scheme") == USCC_SCHEME and identifier.get("id"):
        return str(identifier["id"]), name if isinstance(name, str) else None
    if ref_id is not None and ref_id.startswith(USCC_SCHEME + "-"):
        ref_id = ref_id[len(USCC_SCHEME) + 1 :]
    return ref_id, name if isinstance(name, str) else None

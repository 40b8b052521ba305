"""/contracts[] and /awards[]: ids, item schemes, statuses, cancellation by contract status, suppliers."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.cardinal.prepare.codelists import AWARD_STATUS
from tenderwatch.ocds.cardinal.prepare.ids import RolesLookup, prepare_id_array, prepare_id_object, stringify
from tenderwatch.ocds.cardinal.prepare.issues import Issues
from tenderwatch.ocds.cardinal.prepare.options import PrepareOptions
from tenderwatch.ocds.cardinal.prepare.statuses import fill_scheme, prepare_status

_NO_REDACTION: frozenset[str] = frozenset()


def contracts_cancelled(release: dict[str, Any]) -> dict[str, bool]:
    """For each awardID: whether all of its contracts are cancelled. Only read (and their awardIDs
    made strings) when `award_status_by_contract_status` is on."""
    cancelled: dict[str, bool] = {}
    contracts = release.get("contracts")
    if not isinstance(contracts, list):
        return cancelled
    for contract in contracts:
        if not isinstance(contract, dict):
            continue
        stringify(contract, "awardID")
        award_id = contract.get("awardID")
        if isinstance(award_id, str):
            is_cancelled = contract.get("status") == "cancelled"
            cancelled[award_id] = cancelled.get(award_id, True) and is_cancelled
    return cancelled


def prepare_awards(
    release: dict[str, Any],
    options: PrepareOptions,
    issues: Issues,
    lookup: RolesLookup,
    cancelled: dict[str, bool],
) -> None:
    awards = release.get("awards")
    if not isinstance(awards, list):
        return
    for j, award in enumerate(awards):
        if isinstance(award, dict):
            stringify(award, "id")
            items = award.get("items")
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict):
                        # Classification ids are compared by R048; no redaction, prefix or role applies.
                        prepare_id_object(item, "classification", _NO_REDACTION, "", {}, "")
            fill_scheme(
                items,
                j,
                options.item_classification_scheme,
                "/awards[]/items[]/classification/scheme",
                issues,
            )
        entry = prepare_status(
            awards,
            j,
            options.award_status,
            options.award_status_codes,
            AWARD_STATUS,
            "/awards[]/status",
            issues,
        )
        if not isinstance(entry, dict):
            continue
        # After the codelist check, so an award cancelled here is not reported under its old status.
        ident = entry.get("id")
        if isinstance(ident, str) and cancelled.get(ident, False):
            entry["status"] = "cancelled"
        prepare_id_array(
            entry,
            "suppliers",
            options.redact_organization_ids,
            options.prefix_tenderer_or_supplier_id,
            lookup,
            "supplier",
        )

"""/bids/details[]: amounts, currencies, item schemes, statuses and tenderers."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.cardinal.prepare.codelists import BID_STATUS
from tenderwatch.ocds.cardinal.prepare.ids import RolesLookup, prepare_id_array
from tenderwatch.ocds.cardinal.prepare.issues import IS_ZERO, NOT_SET, Issues
from tenderwatch.ocds.cardinal.prepare.jsonio import is_number, number_as_float, swap_remove
from tenderwatch.ocds.cardinal.prepare.options import PrepareOptions
from tenderwatch.ocds.cardinal.prepare.statuses import fill_scheme, prepare_status


def _prepare_value(value: dict[str, Any], j: int, options: PrepareOptions, issues: Issues) -> None:
    amount = value.get("amount")
    if is_number(amount):
        number = number_as_float(amount)
        if number is not None:
            # Placeholder amounts (e.g. 99999999) are removed; a zero bid that is kept is reported.
            if number in options.redact_amounts:
                swap_remove(value, "amount")
            elif number == 0.0:
                issues.add("/bids/details[]/value/amount", j, "", IS_ZERO)
    if "currency" not in value:
        if options.currency is not None:
            value["currency"] = options.currency
        else:
            issues.add("/bids/details[]/value/currency", j, "", NOT_SET)


def prepare_bids(
    release: dict[str, Any], options: PrepareOptions, issues: Issues, lookup: RolesLookup
) -> None:
    bids = release.get("bids")
    if not isinstance(bids, dict):
        return
    details = bids.get("details")
    if not isinstance(details, list):
        return
    for j, bid in enumerate(details):
        if isinstance(bid, dict):
            value = bid.get("value")
            if isinstance(value, dict):
                _prepare_value(value, j, options, issues)
            fill_scheme(
                bid.get("items"),
                j,
                options.item_classification_scheme,
                "/bids/details[]/items[]/classification/scheme",
                issues,
            )
        entry = prepare_status(
            details,
            j,
            options.bid_status,
            options.bid_status_codes,
            BID_STATUS,
            "/bids/details[]/status",
            issues,
        )
        if isinstance(entry, dict):
            prepare_id_array(
                entry,
                "tenderers",
                options.redact_organization_ids,
                options.prefix_tenderer_or_supplier_id,
                lookup,
                "tenderer",
            )

"""One compiled release through every correction, in Cardinal's order (the order decides where new
members land in the output and which value an issue reports)."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.cardinal.prepare.awards import contracts_cancelled, prepare_awards
from tenderwatch.ocds.cardinal.prepare.bids import prepare_bids
from tenderwatch.ocds.cardinal.prepare.ids import (
    RolesLookup,
    apply_party_roles,
    party_roles_lookup,
    prepare_id_array,
    prepare_id_object,
)
from tenderwatch.ocds.cardinal.prepare.issues import Issues, Row
from tenderwatch.ocds.cardinal.prepare.modifications import (
    Warn,
    move_auctions,
    split_procurement_method_details,
)
from tenderwatch.ocds.cardinal.prepare.options import PrepareOptions


def prepare_release(release: dict[str, Any], line: int, options: PrepareOptions, warn: Warn) -> list[Row]:
    """Correct `release` in place; return its quality issues."""
    issues = Issues(line, release.get("ocid"))
    redact = options.redact_organization_ids

    # Party ids are made strings and redacted, but not prefixed.
    prepare_id_array(release, "parties", redact, "", {}, "")
    lookup: RolesLookup = party_roles_lookup(release) if options.party_roles else {}

    prefix = options.prefix_buyer_or_procuring_entity_id
    prepare_id_object(release, "buyer", redact, prefix, lookup, "buyer")
    tender = release.get("tender")
    if isinstance(tender, dict):
        prepare_id_object(tender, "procuringEntity", redact, prefix, lookup, "procuringEntity")
        if options.split_procurement_method_details is not None:
            split_procurement_method_details(tender, options.split_procurement_method_details)

    if options.move_auctions:
        move_auctions(release, warn)

    prepare_bids(release, options, issues, lookup)
    cancelled = contracts_cancelled(release) if options.award_status_by_contract_status else {}
    prepare_awards(release, options, issues, lookup, cancelled)

    if options.party_roles:
        apply_party_roles(release, lookup)
    return issues.rows

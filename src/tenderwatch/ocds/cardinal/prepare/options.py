"""What `prepare` does, read once from the settings file's prepare sections."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from tenderwatch.ocds.cardinal.settings import Settings, pipe_set

# What Rust's `str::parse::<f64>` accepts: no surrounding spaces and no digit separators, unlike
# Python's float(); "inf" and "nan" spellings are accepted by both.
_RUST_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?i:inf|infinity|nan)")


def _amounts(value: str | None) -> frozenset[float]:
    """`[redactions] amount`: a pipe list of numbers; pieces that are not numbers are ignored."""
    amounts = set()
    for piece in pipe_list(value):
        if _RUST_FLOAT.fullmatch(piece):
            number = float(piece)
            # NaN never equals an amount (Cardinal would panic sorting it).
            if not math.isnan(number):
                amounts.add(number)
    return frozenset(amounts)


def pipe_list(value: str | None) -> list[str]:
    """Rust's `split_terminator('|')`: like split, without a trailing empty piece."""
    if not value:
        return []
    parts = value.split("|")
    if parts[-1] == "":
        parts.pop()
    return parts


def _codes(settings: Settings, name: str) -> dict[str, str]:
    return {key: str(value) for key, value in settings.table(name).items()}


@dataclass(frozen=True)
class PrepareOptions:
    """The `[defaults]`, `[redactions]`, `[corrections]`, `[modifications]` and `[codelists.*]` keys."""

    currency: str | None = None
    item_classification_scheme: str | None = None
    bid_status: str | None = None
    award_status: str | None = None
    party_roles: bool = False
    redact_amounts: frozenset[float] = frozenset()
    redact_organization_ids: frozenset[str] = frozenset()
    award_status_by_contract_status: bool = False
    move_auctions: bool = False
    prefix_buyer_or_procuring_entity_id: str = ""
    prefix_tenderer_or_supplier_id: str = ""
    split_procurement_method_details: str | None = None
    bid_status_codes: dict[str, str] = field(default_factory=dict)
    award_status_codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> PrepareOptions:
        return cls(
            currency=settings.get_str("defaults", "currency"),
            item_classification_scheme=settings.get_str("defaults", "item_classification_scheme"),
            bid_status=settings.get_str("defaults", "bid_status"),
            award_status=settings.get_str("defaults", "award_status"),
            party_roles=settings.get_bool("defaults", "party_roles"),
            redact_amounts=_amounts(settings.get_str("redactions", "amount")),
            redact_organization_ids=pipe_set(settings.get_str("redactions", "organization_id")),
            award_status_by_contract_status=settings.get_bool(
                "corrections", "award_status_by_contract_status"
            ),
            move_auctions=settings.get_bool("modifications", "move_auctions"),
            prefix_buyer_or_procuring_entity_id=settings.get_str(
                "modifications", "prefix_buyer_or_procuring_entity_id"
            )
            or "",
            prefix_tenderer_or_supplier_id=settings.get_str("modifications", "prefix_tenderer_or_supplier_id")
            or "",
            split_procurement_method_details=settings.get_str(
                "modifications", "split_procurement_method_details"
            ),
            bid_status_codes=_codes(settings, "codelists.bid_status"),
            award_status_codes=_codes(settings, "codelists.award_status"),
        )

"""`[modifications]` that reshape a release: procurement method details and auction bids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenderwatch.ocds.cardinal.prepare.jsonio import swap_remove

# Rust's `char::is_whitespace` (Unicode White_Space), which `trim_end` strips; Python's isspace()
# also counts the separators U+001C..U+001F, which Rust keeps.
_RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

Warn = Callable[[str, str], None]


def split_procurement_method_details(tender: dict[str, Any], separator: str) -> None:
    """Keep the text before the first separator, without trailing spaces ("first - second" → "first")."""
    details = tender.get("procurementMethodDetails")
    if isinstance(details, str):
        # Rust splits on an empty pattern before the first character, so "" keeps nothing.
        head = details.split(separator, 1)[0] if separator else ""
        tender["procurementMethodDetails"] = head.rstrip(_RUST_WHITESPACE)


def move_auctions(release: dict[str, Any], warn: Warn) -> None:
    """Move /auctions[]/stages[]/bids[] into a new /bids/details, in order."""
    if "auctions" in release and "bids" in release:
        warn("无法移动 /auctions：/bids 已存在", "Can't move /auctions, because /bids is occupied.")
        return
    auctions = release.get("auctions")
    if not isinstance(auctions, list):
        return
    details: list[Any] = []
    for auction in auctions:
        stages = auction.get("stages") if isinstance(auction, dict) else None
        if not isinstance(stages, list):
            continue
        for stage in stages:
            if isinstance(stage, dict) and "bids" in stage:
                moved = stage["bids"]
                swap_remove(stage, "bids")
                # A "bids" member that is not an array is removed all the same, as in Cardinal.
                if isinstance(moved, list):
                    details.extend(moved)
    release["bids"] = {"details": details}

"""One contracting process (a compiled release) as the indicators read it.

The common views (tender, awards, bid details, submitted bids) are looked up once per release;
every accessor tolerates any JSON shape, because Cardinal skips rather than fails on bad data.
"""

from __future__ import annotations

from typing import Any

Json = Any  # a value parsed by orjson

NOT_SUBMITTED = frozenset(("invited", "withdrawn"))


def number(value: Json) -> float | None:
    """A JSON number as f64; booleans are not numbers."""
    if isinstance(value, float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return None


def obj_get(value: Json, key: str) -> Json:
    return value.get(key) if isinstance(value, dict) else None


def string_ids(parties: Json) -> list[str]:
    """The string `id`s of an array of organization references."""
    if not isinstance(parties, list):
        return []
    return [i for p in parties if isinstance(p, dict) and isinstance(i := p.get("id"), str)]


class Process:
    __slots__ = ("_submitted", "awards", "details", "ocid", "release", "tender")

    def __init__(self, release: dict[str, Json], ocid: str) -> None:
        self.release = release
        self.ocid = ocid
        tender = release.get("tender")
        self.tender: dict[str, Json] = tender if isinstance(tender, dict) else {}
        awards = release.get("awards")
        self.awards: list[Json] | None = awards if isinstance(awards, list) else None
        bids = release.get("bids")
        details = bids.get("details") if isinstance(bids, dict) else None
        self.details: list[Json] | None = details if isinstance(details, list) else None
        self._submitted: list[dict[str, Json]] | None = None

    def submitted_bids(self) -> list[dict[str, Json]]:
        """Bids with a string status other than invited/withdrawn (pending, valid, disqualified…)."""
        if self._submitted is None:
            self._submitted = [
                bid
                for bid in self.details or ()
                if isinstance(bid, dict)
                and isinstance(status := bid.get("status"), str)
                and status not in NOT_SUBMITTED
            ]
        return self._submitted

    def complete_awards_if_final(self) -> list[dict[str, Json]] | None:
        """Active awards if every award with a string status is active/cancelled/unsuccessful.

        None if an award is pending (or has another status), or if awards or bid details are
        missing: Cardinal needs both before it looks at awards.
        """
        if self.awards is None or self.details is None:
            return None
        active = []
        for award in self.awards:
            status = award.get("status") if isinstance(award, dict) else None
            if not isinstance(status, str):
                continue
            if status == "active":
                active.append(award)
            elif status not in ("cancelled", "unsuccessful"):
                return None
        return active

    def pmd(self) -> str | None:
        details = self.tender.get("procurementMethodDetails")
        return details if isinstance(details, str) else None

    def matches_pmd(self, include: frozenset[str], exclude: frozenset[str]) -> bool:
        """Allow list if non-empty (a missing value never matches), otherwise deny list."""
        details = self.pmd()
        if details is None:
            return not include
        return details in include if include else details not in exclude

    def matches_method(self, methods: frozenset[str]) -> bool:
        """No filter matches all; with a filter, a missing procurementMethod does not match."""
        if not methods:
            return True
        method = self.tender.get("procurementMethod")
        return isinstance(method, str) and method in methods


def valid_bid_tuples(details: list[Json], consortia: bool) -> list[tuple[tuple[str, ...], float, str, Json]]:
    """Valid bids with an amount and currency: (tenderer ids, amount, currency, bid id).

    Cardinal keeps only bids with exactly one tenderer; with `consortia` a bid with several
    tenderers is kept as one bidder made of all of them.
    """
    tuples: list[tuple[tuple[str, ...], float, str, Json]] = []
    for bid in details:
        if not isinstance(bid, dict) or bid.get("status") != "valid":
            continue
        value = bid.get("value")
        if not isinstance(value, dict):
            continue
        amount = number(value.get("amount"))
        currency = value.get("currency")
        tenderers = bid.get("tenderers")
        if amount is None or not isinstance(currency, str) or not isinstance(tenderers, list):
            continue
        if len(tenderers) == 1:
            tenderer_id = obj_get(tenderers[0], "id")
            if isinstance(tenderer_id, str):
                tuples.append(((tenderer_id,), amount, currency, bid.get("id")))
        elif consortia and tenderers:
            ids = string_ids(tenderers)
            if len(ids) == len(tenderers):
                tuples.append((tuple(ids), amount, currency, bid.get("id")))
    return tuples

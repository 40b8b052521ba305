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
    if len(parties) == 1:  # the common case, without building a generator
        first = parties[0]
        found = first.get("id") if isinstance(first, dict) else None
        return [found] if isinstance(found, str) else []
    return [i for p in parties if isinstance(p, dict) and isinstance(i := p.get("id"), str)]


# A bid read once for all indicators: (status or None, amount or None, currency or None,
# string tenderer ids in order, length of the tenderers array or -1 if it is not an array,
# date or None, bid id). Reading each bid once is most of the speed-up over walking it per indicator.
Bid = tuple[str | None, float | None, str | None, list[str], int, str | None, Json]
STATUS, AMOUNT, CURRENCY, IDS, COUNT, DATE, BID_ID = range(7)


def bid_tuples(details: list[Json], dates: bool = True, bid_ids: bool = True) -> list[Bid]:
    # The hot loop of the whole command: `type(x) is` and local names keep it lean. orjson only
    # ever yields exact dict/list/str/int/float/bool types, so exact type checks are safe here.
    bids: list[Bid] = []
    append = bids.append
    for bid in details:
        if type(bid) is not dict:
            continue
        get = bid.get
        status = get("status")
        value = get("value")
        amount = currency = None
        if type(value) is dict:
            raw: Json = value.get("amount")
            kind = type(raw)
            if kind is float:
                amount = raw
            elif kind is int:
                amount = float(raw)  # exact int: JSON integers are f64 in Cardinal
            currency = value.get("currency")
            if type(currency) is not str:
                currency = None
        tenderers = get("tenderers")
        if type(tenderers) is list:
            count = len(tenderers)
            if count == 1:
                first = tenderers[0]
                found = first.get("id") if type(first) is dict else None
                ids = [found] if type(found) is str else []
            else:
                ids = string_ids(tenderers)
        else:
            count, ids = -1, []
        # Dates (R030) and bid ids (related_bid) are read only when a step needs them.
        date = get("date") if dates else None
        append(
            (
                status if type(status) is str else None,
                amount,
                currency,
                ids,
                count,
                date if type(date) is str else None,
                get("id") if bid_ids else None,
            )
        )
    return bids


class Process:
    __slots__ = ("_bids", "_submitted", "awards", "bid_ids", "dates", "details", "ocid", "release", "tender")

    def __init__(self, release: dict[str, Json], ocid: str, dates: bool = True, bid_ids: bool = True) -> None:
        self.dates = dates
        self.bid_ids = bid_ids
        self.release = release
        self.ocid = ocid
        tender = release.get("tender")
        self.tender: dict[str, Json] = tender if isinstance(tender, dict) else {}
        awards = release.get("awards")
        self.awards: list[Json] | None = awards if isinstance(awards, list) else None
        bids = release.get("bids")
        details = bids.get("details") if isinstance(bids, dict) else None
        self.details: list[Json] | None = details if isinstance(details, list) else None
        self._bids: list[Bid] | None = None
        self._submitted: list[Bid] | None = None

    def bids(self) -> list[Bid]:
        """Every bid object in bids.details, read once."""
        if self._bids is None:
            self._bids = bid_tuples(self.details, self.dates, self.bid_ids) if self.details else []
        return self._bids

    def submitted_bids(self) -> list[Bid]:
        """Bids with a string status other than invited/withdrawn (pending, valid, disqualified…)."""
        if self._submitted is None:
            self._submitted = [
                bid for bid in self.bids() if bid[STATUS] is not None and bid[STATUS] not in NOT_SUBMITTED
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


def valid_priced_bids(bids: list[Bid], consortia: bool) -> list[tuple[tuple[str, ...], float, str, Json]]:
    """Valid bids with an amount and currency: (tenderer ids, amount, currency, bid id).

    Cardinal keeps only bids with exactly one tenderer; with `consortia` a bid with several
    tenderers is kept as one bidder made of all of them.
    """
    tuples: list[tuple[tuple[str, ...], float, str, Json]] = []
    for status, amount, currency, ids, count, _, bid_id in bids:
        if status != "valid" or amount is None or currency is None:
            continue
        if count == 1 and ids:
            tuples.append(((ids[0],), amount, currency, bid_id))
        elif consortia and count > 1 and len(ids) == count:
            tuples.append((tuple(ids), amount, currency, bid_id))
    return tuples

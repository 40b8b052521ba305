"""The fast path: decode, in C, only the fields the indicators read (msgspec typed structs).

Typed decoding skips every other field without building it, and hands over values whose types are
already known, so reading a bid needs no type checks. It is only a fast path: a line the structs
cannot represent exactly (a string amount, an object where an array should be, a numeric id, a
boolean amount, invalid JSON…) raises, and that line goes through the tolerant orjson path instead,
which stays the reference. Where the structs say `Any`, the indicators' own type checks apply to
the value as before (msgspec and orjson build the same values there, except that msgspec keeps
integers beyond 64 bits as int where orjson makes them float: every such field but
numberOfTenderers is only compared with strings, and a line with such a numberOfTenderers declines).

Two things msgspec accepts in fields it skips but orjson rejects: invalid UTF-8 and numbers too
large for f64. `safe_chunk` / `overflow_lines` find those lines so they take the orjson path.
"""

from __future__ import annotations

from typing import Any

import msgspec

from tenderwatch.ocds.cardinal.indicators.process import Bid, Json, Process


class _Org(msgspec.Struct, gc=False):
    id: str | None = None


class _Value(msgspec.Struct, gc=False):
    # msgspec reads a JSON integer into a float field as float(int), as Cardinal reads it as f64;
    # a boolean is rejected (it is not a number to Cardinal either).
    amount: float | None = None
    currency: str | None = None


class _Bid(msgspec.Struct, gc=False):
    id: str | None = None
    status: str | None = None
    date: str | None = None
    value: _Value | None = None
    tenderers: list[_Org] | None = None
    relatedLots: Any = None


class _Bids(msgspec.Struct, gc=False):
    details: list[_Bid] | None = None


class _Item(msgspec.Struct, gc=False):
    classification: Any = None


class _Award(msgspec.Struct, gc=False):
    status: Any = None
    suppliers: Any = None
    items: list[_Item] | None = None
    relatedBid: str | None = None  # compared with bid ids, which are strings here
    relatedLots: Any = None


class _Tender(msgspec.Struct, gc=False):
    status: Any = None
    procurementMethod: Any = None
    procurementMethodDetails: Any = None
    numberOfTenderers: Any = None
    tenderPeriod: Any = None
    procuringEntity: Any = None


class Release(msgspec.Struct, gc=False):
    ocid: Any = None
    tender: _Tender | None = None
    buyer: Any = None
    bids: _Bids | None = None
    awards: list[_Award] | None = None


_decode = msgspec.json.Decoder(Release).decode
_I64, _U64 = -(2**63), 2**64  # orjson's integers; beyond them it gives floats

# Digits become "0", "E" and "+" become "e", so a plain substring search finds every number literal
# that might overflow f64: a three-digit exponent, or 200 digits in a row (a two-digit exponent
# needs 210 integer digits to overflow). Text that merely looks like that only costs speed.
_DIGITS = bytes.maketrans(b"123456789E+", b"000000000ee")  # "e+400" becomes "ee000"
_OVERFLOW = (b"e000", b"0" * 200)


def decode(line: bytes) -> Release | None:
    """The typed release, or None if the line needs the tolerant path."""
    try:
        release = _decode(line)
    except Exception:  # any shape or error the structs can't represent: the orjson path decides
        return None
    tender = release.tender
    if tender is not None and type(count := tender.numberOfTenderers) is int and not _I64 <= count < _U64:
        return None  # orjson reads this integer as a float (R018 tells them apart)
    return release


def use_arrow() -> None:
    """Validate UTF-8 with Arrow from now on: worth its import time (~0.3 s) on large inputs only.

    Called before worker processes fork, so they share the imported module.
    """
    global _arrow
    import pyarrow

    _arrow = pyarrow


_arrow: Any = None


def safe_chunk(data: bytes) -> bool:
    """Whether the chunk is valid UTF-8 (msgspec does not check strings it skips; orjson does).

    Arrow validates without building a str, about five times faster than bytes.decode on Chinese
    text; both reject exactly what orjson rejects (overlong forms, surrogates, beyond U+10FFFF).
    """
    if data.isascii():
        return True
    pa = _arrow
    try:
        if pa is None:
            data.decode("utf-8")
            return True
        offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
        text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
        text.validate(full=True)
    except (UnicodeDecodeError, ValueError):  # pyarrow.ArrowInvalid is a ValueError
        return False
    return True


def overflow_lines(data: bytes) -> set[int]:
    """Numbers (counting from 0) of the chunk's lines that may hold a number beyond f64."""
    found: set[int] = set()
    marked = data.translate(_DIGITS)
    for pattern in _OVERFLOW:
        at = marked.find(pattern)
        while at >= 0:
            found.add(data.count(b"\n", 0, at))
            end = data.find(b"\n", at)
            if end < 0:
                break
            at = marked.find(pattern, end)
    return found


def typed_bids(details: list[_Bid], dates: bool, bid_ids: bool) -> list[Bid]:
    """The same tuples as `bid_tuples`, from values whose types msgspec already checked."""
    bids: list[Bid] = []
    append = bids.append
    for bid in details:
        value = bid.value
        amount, currency = (None, None) if value is None else (value.amount, value.currency)
        tenderers = bid.tenderers
        if tenderers is None:
            count, ids = -1, []
        elif (count := len(tenderers)) == 1:  # the common case, without a comprehension
            first = tenderers[0].id
            ids = [] if first is None else [first]
        else:
            ids = [org.id for org in tenderers if org.id is not None]
        append(
            (
                bid.status,
                amount,
                currency,
                ids,
                count,
                bid.date if dates else None,
                bid.id if bid_ids else None,
            )
        )
    return bids


def _award(award: _Award) -> dict[str, Json]:
    items = award.items
    return {
        "status": award.status,
        "suppliers": award.suppliers,
        "items": None if items is None else [{"classification": item.classification} for item in items],
        "relatedBid": award.relatedBid,
        "relatedLots": award.relatedLots,
    }


def typed_process(release: Release, ocid: str, dates: bool, bid_ids: bool) -> Process:
    """A Process as the orjson path would build it from the same line (the tender and awards as
    small dicts of the fields read; a missing key and null read alike, as with `dict.get`)."""
    t = release.tender
    tender: dict[str, Json] = (
        {}
        if t is None
        else {
            "status": t.status,
            "procurementMethod": t.procurementMethod,
            "procurementMethodDetails": t.procurementMethodDetails,
            "numberOfTenderers": t.numberOfTenderers,
            "tenderPeriod": t.tenderPeriod,
            "procuringEntity": t.procuringEntity,
        }
    )
    awards = None if release.awards is None else [_award(award) for award in release.awards]
    details = None if release.bids is None else release.bids.details
    return TypedProcess(ocid, tender, awards, details, release.buyer, dates, bid_ids)


class TypedProcess(Process):
    """Bids come from typed structs instead of dicts; everything else is the same."""

    __slots__ = ()

    def _read_bids(self) -> list[Bid]:
        return typed_bids(self.details or [], self.dates, self.bid_ids)

    def bid_lots(self) -> list[Json]:
        return [bid.relatedLots for bid in self.details or ()]

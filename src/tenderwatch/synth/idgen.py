"""Vectorised identifier generators for the synthetic province.

The scalar generators in :mod:`tenderwatch.common.identifiers` call Python once per code; the province
scale needs hundreds of thousands of codes, so these build them with NumPy from the same constants
(weights, charsets, check tables). Tests check every generated code with the scalar validators.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import numpy.typing as npt

from tenderwatch.common.identifiers import (
    ID_CHECK,
    ID_WEIGHTS,
    ORG_CHARSET,
    ORG_WEIGHTS,
    USCC_CHARSET,
    USCC_WEIGHTS,
)

Str = npt.NDArray[np.str_]
Int = npt.NDArray[np.int64]

_HEX = np.array([f"{i:02X}" for i in range(256)])
_HEX_LOWER = np.array([f"{i:02x}" for i in range(256)])
_USCC_CHARS = np.array(list(USCC_CHARSET))
_ORG_OF_USCC = np.array([ORG_CHARSET.index(c) for c in USCC_CHARSET], dtype=np.int64)
_DIGITS = np.array(list("0123456789"))
EPOCH = date(1970, 1, 1)


def join_cols(parts: list[Str]) -> Str:
    """Concatenate string arrays column-wise (all the same length)."""
    out = parts[0].astype(object)
    for p in parts[1:]:
        out = out + p.astype(object)
    return out.astype(str)


def digits(rng: np.random.Generator, n: int, width: int) -> Str:
    """n random strings of `width` decimal digits (leading zeros kept)."""
    d = rng.integers(0, 10, size=(n, width))
    return _DIGITS[d].view(f"<U{width}").reshape(n)


def hex_strings(rng: np.random.Generator, n: int, nbytes: int, lower: bool = False) -> Str:
    raw = rng.integers(0, 256, size=(n, nbytes))
    table = _HEX_LOWER if lower else _HEX
    return table[raw].view(f"<U{2 * nbytes}").reshape(n)


def unique_hex(rng: np.random.Generator, n: int, nbytes: int, lower: bool = False) -> Str:
    """Random hex strings with no repeats (fingerprints and hashes must not collide by accident)."""
    out = hex_strings(rng, n, nbytes, lower)
    while True:
        _, first = np.unique(out, return_index=True)
        if len(first) == n:
            return out
        dup = np.setdiff1d(np.arange(n), first)
        out[dup] = hex_strings(rng, len(dup), nbytes, lower)


def usccs(rng: np.random.Generator, regions: Str, prefix: str = "91", taken: set[str] | None = None) -> Str:
    """Unified social credit codes (GB 32100): authority+type prefix, region, org code with check, check."""
    n = len(regions)
    out = np.empty(n, dtype="<U18")
    todo = np.arange(n)
    seen: set[str] = set() if taken is None else taken
    while len(todo):
        body = rng.integers(0, 31, size=(len(todo), 8))
        org_total = (_ORG_OF_USCC[body] * np.array(ORG_WEIGHTS)).sum(axis=1)
        check = 11 - org_total % 11
        # 10 -> X, 11 -> 0; both are in the USCC charset, so the organisation code stays valid in both.
        org_check = np.where(check == 10, USCC_CHARSET.index("X"), np.where(check == 11, 0, check))
        chars = np.concatenate(
            [
                np.array([[USCC_CHARSET.index(c) for c in prefix]] * len(todo)),
                np.array([[USCC_CHARSET.index(c) for c in r] for r in regions[todo]]),
                body,
                org_check[:, None],
            ],
            axis=1,
        )
        total = (chars * np.array(USCC_WEIGHTS)).sum(axis=1)
        last = (31 - total % 31) % 31
        codes = _USCC_CHARS[np.concatenate([chars, last[:, None]], axis=1)].view("<U18").reshape(len(todo))
        todo = _keep_new(todo, codes, seen, out)
    return out


def _keep_new(todo: Int, codes: Str, seen: set[str], out: Str) -> Int:
    """Store each code not drawn before at its row; return the rows whose code clashed (to redraw)."""
    retry = []
    for i, code in zip(todo, codes, strict=True):
        text = str(code)
        if text in seen:
            retry.append(i)
        else:
            seen.add(text)
            out[i] = text
    return np.array(retry, dtype=np.int64)


def id_numbers(rng: np.random.Generator, regions: Str, born_days: Int, taken: set[str] | None = None) -> Str:
    """Citizen ID numbers (GB 11643): region, birth date, sequence, check character."""
    n = len(regions)
    born = np.datetime64("1970-01-01") + born_days.astype("timedelta64[D]")
    ymd = np.datetime_as_string(born, unit="D")
    stems = np.char.add(regions, np.char.replace(ymd, "-", ""))
    out = np.empty(n, dtype="<U18")
    seen: set[str] = set() if taken is None else taken
    todo = np.arange(n)
    while len(todo):
        first17 = np.char.add(stems[todo], digits(rng, len(todo), 3))
        d = first17.view("<U1").reshape(len(todo), 17).astype(np.int64)
        check = np.array(list(ID_CHECK))[(d * np.array(ID_WEIGHTS)).sum(axis=1) % 11]
        codes = np.char.add(first17, check)
        todo = _keep_new(todo, codes, seen, out)
    return out


_MOBILE_PREFIXES = np.array(
    [
        "130",
        "131",
        "132",
        "133",
        "135",
        "136",
        "137",
        "138",
        "139",
        "150",
        "151",
        "152",
        "153",
        "155",
        "156",
        "157",
        "158",
        "159",
        "166",
        "173",
        "175",
        "176",
        "177",
        "180",
        "181",
        "182",
        "183",
        "185",
        "186",
        "187",
        "188",
        "189",
        "191",
        "198",
        "199",
    ]
)


def mobiles(rng: np.random.Generator, n: int) -> Str:
    """Distinct mobile numbers: a shared phone between two people is a collusion signal, so no accidents."""
    out = np.char.add(_MOBILE_PREFIXES[rng.integers(0, len(_MOBILE_PREFIXES), n)], digits(rng, n, 8))
    return _dedupe(
        out,
        lambda k: np.char.add(_MOBILE_PREFIXES[rng.integers(0, len(_MOBILE_PREFIXES), k)], digits(rng, k, 8)),
    )


def _dedupe(values: Str, make: Callable[[int], Str]) -> Str:
    while True:
        _, first = np.unique(values, return_index=True)
        if len(first) == len(values):
            return values
        dup = np.setdiff1d(np.arange(len(values)), first)
        values[dup] = make(len(dup))


# Public address blocks of Chinese carriers (Telecom, Unicom, Mobile) seen from Zhejiang.
_IP_FIRST = np.array([60, 61, 101, 112, 115, 117, 122, 125, 171, 183, 218, 220, 221, 222])


_MOBILE_FIRST = np.array([36, 39, 42, 223])  # China Mobile and Unicom 4G/5G egress blocks


def ipv4s(rng: np.random.Generator, n: int, mobile: bool = False) -> Str:
    first = _MOBILE_FIRST if mobile else _IP_FIRST

    def make(k: int) -> Str:
        a = first[rng.integers(0, len(first), k)].astype(str)
        rest = [rng.integers(lo, 255, k).astype(str) for lo in (0, 0, 1)]
        return join_cols([a, np.full(k, "."), rest[0], np.full(k, "."), rest[1], np.full(k, "."), rest[2]])

    return _dedupe(make(n), make)


# Organisationally unique identifiers of common office-PC network adapters (Intel, Realtek, Dell, Lenovo, HP).
_OUIS = np.array(
    [
        "8C-EC-4B",
        "00-E0-4C",
        "F8-BC-12",
        "54-EE-75",
        "3C-52-82",
        "98-FA-9B",
        "E4-54-E8",
        "70-85-C2",
        "B4-2E-99",
        "D8-BB-C1",
        "00-2B-67",
        "A4-BB-6D",
    ]
)


def macs(rng: np.random.Generator, n: int) -> Str:
    def make(k: int) -> Str:
        tail = _HEX[rng.integers(0, 256, size=(k, 3))]
        return join_cols(
            [
                _OUIS[rng.integers(0, len(_OUIS), k)],
                np.full(k, "-"),
                tail[:, 0],
                np.full(k, "-"),
                tail[:, 1],
                np.full(k, "-"),
                tail[:, 2],
            ]
        )

    return _dedupe(make(n), make)


def days(d: date) -> int:
    return (d - EPOCH).days


def date_of(day: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(day))

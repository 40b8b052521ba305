"""Cardinal's JSON text: serde_json's compact form with ryu's float formatting.

Python's `repr` and ryu both print the shortest round-tripping digits; they differ only in when
and how they use exponents (Python: `1e-05`, `1e+16`; ryu: `0.00001`, `1e16`). Non-finite floats
become `null`, as serde_json writes them. Strings are escaped by orjson, whose escape table is
serde_json's (control characters, quote and backslash only; UTF-8 passes through).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import orjson


def fmt_float(value: float) -> str:
    """An f64 as serde_json writes it."""
    if not math.isfinite(value):
        return "null"
    text = repr(float(value))
    if "e" not in text:
        return text
    mantissa, exponent_text = text.split("e")
    exponent = int(exponent_text)
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    # ryu's decimal point position: value = 0.digits × 10^kk.
    kk = exponent + 1
    if -5 < kk <= 0:
        return f"{sign}0.{'0' * -kk}{digits}"
    fraction = f".{digits[1:]}" if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{fraction}e{exponent}"


def round4(value: float) -> float:
    """Rust's `(v * 10_000.0).round() / 10_000.0`: halves away from zero (Python rounds to even)."""
    scaled = value * 10_000.0
    if not math.isfinite(scaled):
        return scaled
    magnitude = abs(scaled)
    floor = math.floor(magnitude)
    rounded = floor + 1.0 if magnitude - floor >= 0.5 else float(floor)
    return math.copysign(rounded, scaled) / 10_000.0


def fmt_key(key: str) -> str:
    return orjson.dumps(key).decode()


JsonValue = None | bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"]


def dumps(value: JsonValue) -> str:
    """Compact JSON with Cardinal's number formatting; mappings keep their order."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: JsonValue, parts: list[str]) -> None:
    if value is None:
        parts.append("null")
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, float):
        parts.append(fmt_float(value))
    elif isinstance(value, int):
        parts.append(str(value))
    elif isinstance(value, str):
        parts.append(orjson.dumps(value).decode())
    elif isinstance(value, Mapping):
        parts.append("{")
        first = True
        for key, item in value.items():
            if not first:
                parts.append(",")
            first = False
            parts.append(orjson.dumps(key).decode())
            parts.append(":")
            _write(item, parts)
        parts.append("}")
    else:
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, parts)
        parts.append("]")

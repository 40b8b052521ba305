"""Read and write JSON lines keeping every number's text, as Cardinal does.

Cardinal parses with serde_json's `arbitrary_precision` and `preserve_order`, so a number is written
back exactly as it came in (`1.0`, `1e3`, `-0`, `123456789012345678901`). orjson keeps key order but
not number text: it turns `1.50` into `1.5`, `1e3` into `1000.0`, `-0` into `0` and an integer past
64 bits into a float. So orjson's parse is kept only when writing it back gives the very same line,
which proves every number in it survives (compact files written by serde_json, orjson or Cardinal
itself). Any other line is parsed by the standard library with every float and every long integer
kept as a `RawNumber` holding its original text, which the writer puts back verbatim. (A regular
expression that looks for risky numbers costs more than this second parse.)
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeGuard

import orjson


class RawNumber:
    """A JSON number kept as its original text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawNumber({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _parse_int(text: str) -> int | RawNumber:
    # "-0" would become 0, and long integers could exceed what orjson writes as an integer.
    if len(text) >= 19 or text == "-0":
        return RawNumber(text)
    return int(text)


def _reject_constant(name: str) -> Any:
    # The standard library accepts NaN and Infinity; JSON (and serde_json) does not.
    raise ValueError(f"invalid number {name}")


_EXACT_DECODER = json.JSONDecoder(
    parse_float=RawNumber, parse_int=_parse_int, parse_constant=_reject_constant
)


# orjson refuses a number too large for a float (1e400); serde_json with arbitrary_precision keeps it.
_INFINITE_NUMBER = "number is infinity"


def loads(line: bytes) -> Any:
    """Parse one line keeping number text; raise ValueError (orjson's errors are ValueErrors) if it is
    not JSON. Lone surrogates (`"\\ud800"`) pass the standard library: `dumps` refuses them."""
    # `": ` is the standard library's default separator: such a line is not compact, so orjson's
    # parse would be thrown away; skip it.
    if b'": ' not in line:
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            if _INFINITE_NUMBER not in str(error):
                raise
        else:
            if orjson.dumps(value) == line:
                return value
    return _EXACT_DECODER.decode(line.decode("utf-8"))


def loads_for_counting(line: bytes) -> Any:
    """Parse one line where number text does not matter (coverage): orjson, unless a number is too
    large for it."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as error:
        if _INFINITE_NUMBER not in str(error):
            raise
        return _EXACT_DECODER.decode(line.decode("utf-8"))


def _default(value: object) -> orjson.Fragment:
    if isinstance(value, RawNumber):
        return orjson.Fragment(value.text)
    raise TypeError(f"not JSON: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    """Compact JSON as serde_json writes it; raise orjson.JSONEncodeError (e.g. lone surrogates)."""
    return orjson.dumps(value, default=_default)


def is_number(value: object) -> TypeGuard[int | float | RawNumber]:
    """Whether a parsed value is a JSON number (bool is an int in Python, but not here)."""
    return isinstance(value, RawNumber) or (type(value) is int) or (type(value) is float)


def number_text(value: int | float | RawNumber) -> str:
    """The number as serde_json's `to_string()` gives it: its original text."""
    if isinstance(value, RawNumber):
        return value.text
    if type(value) is float:
        # Only from a line orjson writes back unchanged, so orjson's form is the original text.
        return orjson.dumps(value).decode("ascii")
    return str(value)


def number_as_float(value: int | float | RawNumber) -> float | None:
    """serde_json's `as_f64()`: the nearest float, or None if it is not finite."""
    result = float(value.text) if isinstance(value, RawNumber) else float(value)
    return result if math.isfinite(result) else None


def swap_remove(mapping: dict[str, Any], key: str) -> None:
    """Remove a key as serde_json's `Map::remove` does with `preserve_order`: the last entry takes
    the removed entry's place (IndexMap's swap_remove), which Cardinal's output shows."""
    if key not in mapping:
        return
    if next(reversed(mapping)) == key:
        del mapping[key]
        return
    items = list(mapping.items())
    index = next(i for i, (k, _) in enumerate(items) if k == key)
    items[index] = items.pop()
    mapping.clear()
    mapping.update(items)

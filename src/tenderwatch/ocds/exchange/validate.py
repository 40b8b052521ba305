"""Schema validation of releases against the vendored, patched OCDS release schema.

Only local files are used (see ``tenderwatch.ocds.schema.registry``). ``date-time`` is checked by a
checker of our own: jsonschema's needs an optional package, and without it a date such as
"2024-03-01 09:00" would pass silently although OCDS requires RFC 3339 with a time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from tenderwatch.ocds.schema import registry, release_schema

MAX_ERRORS_PER_RELEASE = 20


@dataclass(frozen=True, slots=True)
class SchemaError:
    path: str  # JSON path inside the release, e.g. "bids.details[0].value.amount"
    message: str  # jsonschema's own English message, shortened


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword reports non-strings
    if len(value) < 20 or value[10] not in "Tt":
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


@cache
def _validator() -> Draft4Validator:
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    return Draft4Validator(release_schema(), registry=registry(), format_checker=checker)


def json_path(parts: Any) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _short(error: ValidationError) -> str:
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def release_errors(release: dict[str, Any]) -> list[SchemaError]:
    """Schema errors of one release (or compiled release), deepest first, at most a few dozen."""
    found: list[SchemaError] = []
    for error in sorted(
        _validator().iter_errors(release), key=lambda e: (json_path(e.absolute_path), e.message)
    ):
        # oneOf/anyOf failures carry the real reasons in their context; report the closest one.
        best = min(error.context, key=lambda e: len(e.absolute_path) * -1) if error.context else error
        found.append(SchemaError(json_path(best.absolute_path) or "$", _short(best)))
        if len(found) >= MAX_ERRORS_PER_RELEASE:
            break
    return found

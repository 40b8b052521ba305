"""R003 Short submission period: whole days from tenderPeriod.startDate to endDate below a threshold."""

from __future__ import annotations

import re
from datetime import datetime

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process, number
from tenderwatch.ocds.cardinal.settings import pipe_set

# RFC 3339 as chrono's parse_from_rfc3339 reads it: an offset is required (naive times are invalid).
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")
DAY_US = 86_400_000_000


def parse_rfc3339(text: str) -> datetime | None:
    if not RFC3339.match(text):
        return None
    normal = text[:10] + "T" + text[11:]
    if normal[-1] in "Zz":
        normal = normal[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(normal)
    except ValueError:
        return None


def whole_days(start: datetime, end: datetime) -> int:
    """chrono's `num_days()`: truncated toward zero."""
    delta = end - start
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    days = abs(micros) // DAY_US
    return days if micros >= 0 else -days


class R003(Step):
    code = "R003"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        settings = ctx.settings
        self.threshold = settings.get_int("R003", "threshold", 15)
        self.methods = pipe_set(settings.get_str("R003", "procurement_methods"))
        table = settings.table("R003.procurement_method_details")
        self.by_details = {key: int(value) for key, value in table.items() if number(value) is not None}

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        if not p.matches_method(self.methods):
            return False
        period = p.tender.get("tenderPeriod")
        if not isinstance(period, dict):
            return False
        start_text, end_text = period.get("startDate"), period.get("endDate")
        if not isinstance(start_text, str) or not isinstance(end_text, str):
            return False
        start, end = parse_rfc3339(start_text), parse_rfc3339(end_text)
        if start is None or end is None:
            return False
        details = p.pmd()
        threshold = self.by_details.get(details, self.threshold) if details is not None else self.threshold
        if whole_days(start, end) < threshold:
            out.flag(self.code)
        return True

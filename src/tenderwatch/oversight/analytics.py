"""Selective-enforcement leads from our own workflow data (WORKFLOW-ANCHORS §1, cardinal's IQR fence).

Every analytic compares one group's share (a handler's 查否 rate, a county's, …) with the same share of its
peers: the group is flagged when its share is above the peers' upper fence Q3 + 1.5·IQR. Quartiles are
Hyndman–Fan type 8 (the helpers of ``ocds.cardinal.indicators.quantiles``, as C11 and R024 use). The fence
is leave-one-out — computed over the *other* groups only — so one extreme handler cannot drag the fence up
to hide himself, which matters with the handful of handlers a county has. A group needs ``min_cases``
cases to be judged and ``MIN_PEERS`` peers to have a fence at all; otherwise it is listed, not flagged.

These are leads for the discipline inspector, not findings (docs/oversight.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from tenderwatch.case.calendar import add_working_days
from tenderwatch.ocds.cardinal.indicators.quantiles import quartiles, upper_fence

MIN_PEERS = 3


@dataclass(frozen=True, slots=True)
class ClosedCase:
    case_id: int
    handler: str
    outcome: str
    companies: tuple[str, ...]  # USCCs named by the warning
    region: str  # the project's county (warning.region_code)
    due_date: date
    concluded_on: date  # the day of the (last) conclusion, 提交反馈


@dataclass(slots=True)
class GroupRate:
    key: tuple[str, ...]
    cases: int
    hits: int
    rate: float
    fence: float | None  # None: too few peers to compare with
    flagged: bool
    case_ids: list[int] = field(default_factory=list)  # the cases behind ``hits``


def _compare(
    groups: dict[tuple[str, ...], list[ClosedCase]],
    hit: Callable[[ClosedCase], bool],
    min_cases: int,
    peers_of: Callable[[tuple[str, ...]], Hashable] = lambda _key: None,
) -> list[GroupRate]:
    """Rate of ``hit`` per group; flagged above the leave-one-out fence of its peer groups."""
    rates: dict[tuple[str, ...], tuple[int, int, list[int]]] = {}
    for key, cases in groups.items():
        hits = [c.case_id for c in cases if hit(c)]
        rates[key] = (len(cases), len(hits), sorted(hits))
    judged = {k: v[1] / v[0] for k, v in rates.items() if v[0] >= min_cases}
    out: list[GroupRate] = []
    for key, (n, h, ids) in rates.items():
        rate = h / n
        peers = [r for k, r in judged.items() if k != key and peers_of(k) == peers_of(key)]
        fence = upper_fence(*quartiles(peers)) if len(peers) >= MIN_PEERS else None
        flagged = key in judged and fence is not None and rate > fence
        out.append(GroupRate(key, n, h, rate, fence, flagged, ids))
    out.sort(key=lambda g: (not g.flagged, -g.rate, g.key))
    return out


def _group(
    cases: Iterable[ClosedCase], key: Callable[[ClosedCase], Iterable[tuple[str, ...]]]
) -> dict[tuple[str, ...], list[ClosedCase]]:
    groups: dict[tuple[str, ...], list[ClosedCase]] = defaultdict(list)
    for case in cases:
        for k in key(case):
            groups[k].append(case)
    return dict(groups)


def unfounded(case: ClosedCase) -> bool:
    return case.outcome == "unfounded"


def by_handler(cases: Iterable[ClosedCase], min_cases: int = 5) -> list[GroupRate]:
    """查否 rate per handler against the other handlers of the jurisdiction."""
    return _compare(_group(cases, lambda c: [(c.handler,)]), unfounded, min_cases)


def by_handler_company(cases: Iterable[ClosedCase], min_cases: int = 3) -> list[GroupRate]:
    """查否 rate per (handler, company) against every other pair: the handler who always clears one company."""
    return _compare(_group(cases, lambda c: [(c.handler, u) for u in c.companies]), unfounded, min_cases)


def is_county(region: str) -> bool:
    return len(region) == 6 and region[4:] != "00"


def by_region(cases: Iterable[ClosedCase], min_cases: int = 5) -> list[GroupRate]:
    """查否 rate per county against its sibling counties (same city, the first four digits)."""
    counties = [c for c in cases if is_county(c.region)]
    return _compare(_group(counties, lambda c: [(c.region,)]), unfounded, min_cases, lambda k: k[0][:4])


def at_deadline_edge(case: ClosedCase, edge_days: int = 1) -> bool:
    """Concluded on the due date or within the ``edge_days`` working days before it (not after: late is
    overdue, which the overdue flag already tracks)."""
    if case.concluded_on > case.due_date:
        return False
    return add_working_days(case.concluded_on, edge_days)[0] >= case.due_date


def deadline_edge(cases: Iterable[ClosedCase], edge_days: int = 1, min_cases: int = 5) -> list[GroupRate]:
    """Share of a handler's conclusions made at the deadline edge, against the other handlers."""
    return _compare(
        _group(cases, lambda c: [(c.handler,)]), lambda c: at_deadline_edge(c, edge_days), min_cases
    )

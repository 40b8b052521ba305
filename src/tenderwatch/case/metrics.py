"""Case performance: how fast and how well each department works its cases, per grade.

The figures regulators and their supervisors ask for (TheHive #56/#576/#2204, DefectDojo's business-day
SLA): time to sign for (签收) and to feedback (反馈) in *working* days on the same calendar the deadlines
use, the share of feedback given on time, how often reviewers return feedback, reopenings, and the
outcomes of closed cases. Everything is derived from the append-only case events, so the figures can be
recomputed for any past period and never disagree with the case history.

Definitions (docs/case.md "Performance"):

- signed for: the first ``accept`` event; feedback: the *last* ``submit`` event (a returned case's final
  feedback is the one that counts); on time: that feedback's local date is on or before the case's due
  date (a reopened case has a fresh due date, see flows._restart_deadlines).
- working days between two dates: the working days after the first, up to and including the second
  (a case signed for on the day it was assigned took 0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tenderwatch.case.calendar import local_date, working_days_between
from tenderwatch.case.models import Case

OUTCOMES = ("confirmed", "partly_confirmed", "unfounded", "unverifiable", "transferred")
OPEN_STATES = frozenset({"generated", "assigned", "accepted", "verifying", "feedback_submitted", "reopened"})


def quantile(values: Sequence[int], q: float) -> float | None:
    """Nearest-rank quantile (a value that occurred, as an SLA report states it); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


@dataclass(frozen=True, slots=True)
class CaseTimes:
    case_id: int
    department_code: str
    grade: str
    state: str
    overdue: bool
    supervised: bool
    opened: date
    signed_for: date | None
    feedback: date | None
    due: date
    returns: int
    reopenings: int
    outcome: str | None  # of a closed or transferred case

    @property
    def days_to_sign(self) -> int | None:
        return None if self.signed_for is None else working_days_between(self.opened, self.signed_for)

    @property
    def days_to_feedback(self) -> int | None:
        return None if self.feedback is None else working_days_between(self.opened, self.feedback)

    @property
    def on_time(self) -> bool | None:
        return None if self.feedback is None else self.feedback <= self.due


def times_of(case: Case) -> CaseTimes:
    accepts = [e for e in case.events if e.kind == "accept"]
    submits = [e for e in case.events if e.kind == "submit"]
    closed = case.state in ("closed", "transferred")
    return CaseTimes(
        case_id=case.id,
        department_code=case.department_code,
        grade=case.grade,
        state=case.state,
        overdue=case.overdue,
        supervised=case.supervised_by is not None,
        opened=local_date(case.created_at),
        signed_for=local_date(accepts[0].at) if accepts else None,
        feedback=local_date(submits[-1].at) if submits else None,
        due=case.due_date,
        returns=sum(e.kind == "return" for e in case.events),
        reopenings=sum(e.kind == "reopen" for e in case.events),
        outcome=(case.conclusion or {}).get("outcome") if closed else None,
    )


@dataclass
class Group:
    """The figures of one (department, grade), or of everything (department "*", grade "*")."""

    department_code: str
    grade: str
    cases: int = 0
    open: int = 0
    overdue: int = 0
    supervised: int = 0
    returns: int = 0
    reopenings: int = 0
    sign_days: list[int] = field(default_factory=list)
    feedback_days: list[int] = field(default_factory=list)
    on_time: int = 0
    with_feedback: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, t: CaseTimes) -> None:
        self.cases += 1
        self.open += t.state in OPEN_STATES
        self.overdue += t.overdue
        self.supervised += t.supervised
        self.returns += t.returns
        self.reopenings += t.reopenings
        if t.days_to_sign is not None:
            self.sign_days.append(t.days_to_sign)
        if t.days_to_feedback is not None:
            self.feedback_days.append(t.days_to_feedback)
            self.with_feedback += 1
            self.on_time += bool(t.on_time)
        if t.outcome in self.outcomes:
            self.outcomes[t.outcome] += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "department_code": self.department_code,
            "grade": self.grade,
            "cases": self.cases,
            "open": self.open,
            "overdue": self.overdue,
            "supervised": self.supervised,
            "returns": self.returns,
            "reopenings": self.reopenings,
            "sign_days_median": quantile(self.sign_days, 0.5),
            "feedback_days_median": quantile(self.feedback_days, 0.5),
            "feedback_days_p90": quantile(self.feedback_days, 0.9),
            "on_time_rate": round(self.on_time / self.with_feedback, 4) if self.with_feedback else None,
            "outcomes": dict(self.outcomes),
        }


def performance(cases: Iterable[Case], since: date | None = None, until: date | None = None) -> list[Group]:
    """One group per (department, grade) of the cases opened in [since, until], then the total ("*")."""
    groups: dict[tuple[str, str], Group] = {}
    total = Group("*", "*")
    for case in cases:
        t = times_of(case)
        if (since and t.opened < since) or (until and t.opened > until):
            continue
        key = (t.department_code, t.grade)
        groups.setdefault(key, Group(*key)).add(t)
        total.add(t)
    grade_order = {"red": 0, "orange": 1, "yellow": 2}
    ordered = sorted(groups.values(), key=lambda g: (g.department_code, grade_order.get(g.grade, 9)))
    return [*ordered, total]

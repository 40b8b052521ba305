"""Industry credit scores (行业信用评分), computed from the records as of a date. Formula in docs/credit.md.

    score(subject, industry, on) = min(100, max(0, 100 − Σ bad + Σ good))
    bad  = DEDUCTION[kind] × (2 if serious) × weight(age)
    good = GOOD_CONDUCT_CREDIT × weight(age)
    weight(age) = 1 in the first year, then falling linearly to 0 at three years

Our records count in their own industry; the credit centre's lake records carry no industry and count
in every industry (a lake record with the decision number of one of ours is that record, counted once).
Records decided after ``on`` do not count ("as of" evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tenderwatch.credit.lake import LakeCredit
from tenderwatch.credit.models import CreditRecord

BASE = 100.0
DEDUCTION = {
    "bribery": 25.0,
    "collusion": 20.0,
    "lending": 15.0,
    "false_materials": 15.0,
    "expert_misconduct": 10.0,
    "other": 5.0,
}
GOOD_CONDUCT_CREDIT = 2.0
FULL_DAYS = 365  # a record weighs fully for its first year …
ZERO_DAYS = 3 * 365  # … and nothing after three years, the look-back of Art. 67
GRADES = ((90.0, "A"), (75.0, "B"), (60.0, "C"), (0.0, "D"))


@dataclass(frozen=True)
class Item:
    source: str
    kind: str
    decided_on: date
    points: float  # negative = deduction


@dataclass(frozen=True)
class Score:
    industry: str
    value: float
    grade: str
    items: tuple[Item, ...]


def weight(decided_on: date, on: date) -> float:
    age = (on - decided_on).days
    if age < 0 or age >= ZERO_DAYS:
        return 0.0
    if age < FULL_DAYS:
        return 1.0
    return (ZERO_DAYS - age) / (ZERO_DAYS - FULL_DAYS)


def grade_of(value: float) -> str:
    return next(g for low, g in GRADES if value >= low)


def score(
    *, industry: str, on: date, records: list[CreditRecord], lake: LakeCredit | None, subject_id: str
) -> Score:
    items: list[Item] = []
    for r in records:
        w = weight(r.decided_on, on)
        if r.industry == industry and w > 0:
            points = -DEDUCTION[r.kind] * (2 if r.serious else 1) * w
            items.append(Item(f"internal:credit_record/{r.id}", r.kind, r.decided_on, round(points, 2)))
    # The credit centre also publishes our own decisions; the same decision number counts once.
    ours = {r.decision_no for r in records}
    for lr in lake.records_of(subject_id) if lake else []:
        w = weight(lr.decided_on, on)
        if w > 0 and lr.decision_no not in ours:
            points = GOOD_CONDUCT_CREDIT * w if lr.good else -DEDUCTION[lr.kind] * w
            kind = "good" if lr.good else lr.kind
            items.append(Item(f"lake:credit_records/{lr.record_id}", kind, lr.decided_on, round(points, 2)))
    value = round(min(BASE, max(0.0, BASE + sum(i.points for i in items))), 1)
    return Score(industry, value, grade_of(value), tuple(items))

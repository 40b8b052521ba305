"""The working-day calendar: public holidays off, adjusted working days on, unknown years provisional."""

from __future__ import annotations

from datetime import date

from tenderwatch.case import calendar
from tenderwatch.case.deadlines import accept_due, feedback_due
from tenderwatch.config import Settings


def test_national_day_and_adjusted_working_day() -> None:
    assert not calendar.is_working_day(date(2026, 10, 1))  # 国庆节
    assert not calendar.is_working_day(date(2026, 10, 7))
    assert calendar.is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert calendar.is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert not calendar.is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_deadline_across_the_national_day_week() -> None:
    # 9-30 (Wed) + 5 working days: 10-8, 10-9, 10-10 (adjusted Saturday), 10-12, 10-13.
    assert calendar.add_working_days(date(2026, 9, 30), 5) == (date(2026, 10, 13), False)
    assert calendar.add_working_days(date(2026, 9, 30), 0) == (date(2026, 9, 30), False)


def test_grade_deadlines_follow_settings() -> None:
    settings = Settings()
    assert accept_due(settings, "red", date(2026, 9, 30)) == date(2026, 10, 8)
    assert accept_due(settings, "orange", date(2026, 9, 30)) is None
    # 10-8, 10-9, 10-10, 10-12 … 10-16, 10-19, 10-20: the tenth working day
    assert feedback_due(settings, "red", date(2026, 9, 30)) == (date(2026, 10, 20), False)
    # yellow: 30 calendar days from 9-30 is 10-30 (a Friday, a working day)
    assert feedback_due(settings, "yellow", date(2026, 9, 30)) == (date(2026, 10, 30), False)
    # a calendar deadline on a day off moves to the next working day: 9-3 + 30 = 10-3 (holiday) → 10-8
    assert feedback_due(settings, "yellow", date(2026, 9, 3)) == (date(2026, 10, 8), False)
    custom = Settings(case_deadline_days={"red": 5, "orange": 10, "yellow": 15})
    assert feedback_due(custom, "red", date(2026, 9, 30))[0] == date(2026, 10, 13)


def test_a_year_without_a_published_arrangement_is_provisional() -> None:
    last = max(calendar.published_years())
    due, provisional = calendar.add_working_days(date(last, 12, 30), 3)
    assert due.year == last + 1 and provisional
    assert not calendar.add_working_days(date(last, 3, 2), 3)[1]

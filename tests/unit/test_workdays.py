"""Deadlines counted in working days skip weekends and Tết, count working Saturdays; calendar limits move on."""

from __future__ import annotations

from datetime import date

import holidays

from service.calendar.workdays import WorkCalendar, add_months, days_left, due_date, next_working_day

_VN = holidays.Vietnam(years=[2024, 2025, 2026])
CALENDAR = WorkCalendar(days_off=frozenset(_VN), working_weekend_days=frozenset(_VN.weekend_workdays))
PLAIN_WEEKS = WorkCalendar()


def test_seven_working_days_from_the_friday_before_tet_2026_skip_tet():
    friday = date(2026, 2, 13)  # Tết 2026: 16–20 February off
    assert due_date(friday, 7, "working_days", CALENDAR) == date(2026, 3, 3)
    assert due_date(friday, 7, "working_days", PLAIN_WEEKS) == date(2026, 2, 24)


def test_five_working_days_from_friday_21_august_2026_count_the_working_saturday():
    # Saturday 22 August 2026 is worked in exchange for Monday 31 August: 22, 24, 25, 26, 27.
    assert due_date(date(2026, 8, 21), 5, "working_days", CALENDAR) == date(2026, 8, 27)
    without_the_swap = WorkCalendar(days_off=CALENDAR.days_off)
    assert due_date(date(2026, 8, 21), 5, "working_days", without_the_swap) == date(2026, 8, 28)


def test_the_working_saturdays_of_2024_and_2025_count_too():
    assert due_date(date(2024, 5, 3), 1, "working_days", CALENDAR) == date(2024, 5, 4)
    assert due_date(date(2025, 4, 25), 1, "working_days", CALENDAR) == date(2025, 4, 26)
    assert due_date(date(2025, 4, 26), 1, "working_days", CALENDAR) == date(2025, 4, 28)  # an ordinary Sunday


def test_a_calendar_limit_ending_on_a_working_saturday_ends_that_day():
    assert next_working_day(date(2026, 8, 22), CALENDAR) == date(2026, 8, 22)
    assert due_date(date(2026, 8, 1), 21, "calendar_days", CALENDAR) == date(2026, 8, 22)
    assert due_date(date(2026, 8, 1), 21, "calendar_days", PLAIN_WEEKS) == date(2026, 8, 24)


def test_working_days_skip_the_weekend():
    assert due_date(date(2026, 3, 6), 1, "working_days", CALENDAR) == date(2026, 3, 9)


def test_immediate_is_due_the_same_day():
    assert due_date(date(2026, 3, 6), 0, "immediate", CALENDAR) == date(2026, 3, 6)


def test_calendar_days_ending_on_a_holiday_end_on_the_next_working_day():
    # 20 days after 31 Aug 2026 is Sunday 20 Sept -> Monday 21 Sept.
    assert due_date(date(2026, 8, 31), 20, "calendar_days", CALENDAR) == date(2026, 9, 21)
    # 1 day after 31 Aug 2026 is 1 Sept, National Day; 2 Sept too -> 3 Sept.
    assert due_date(date(2026, 8, 31), 1, "calendar_days", CALENDAR) == date(2026, 9, 3)


def test_months_clamp_to_the_end_of_a_short_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert due_date(date(2025, 12, 31), 2, "months", CALENDAR) == date(2026, 3, 2)  # 28 Feb is Saturday


def test_days_left_goes_negative_after_the_due_date():
    assert days_left(date(2026, 3, 3), date(2026, 3, 1)) == 2
    assert days_left(date(2026, 3, 3), date(2026, 3, 4)) == -1

"""Promised completion dates across 国庆 and 春节, with their 调休 working weekends.

Every expected date below was counted by hand from the State Council holiday notices and
checked against the chinese-calendar data before it was written down:

- 2025 国庆/中秋: rest 10-01 … 10-08; 调休 working days Sun 09-28 and Sat 10-11.
- 2025 春节: rest 01-28 … 02-04; 调休 working days Sun 01-26 and Sat 02-08.
- 2026 春节: rest 02-15 … 02-23; 调休 working days Sat 02-14 and Sat 02-28.
- 2026 国庆: rest 10-01 … 10-07; 调休 working days Sun 09-20 and Sat 10-10.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from station_app.domain.catalogue import Handling, HandlingType
from station_app.domain.workdays import (
    CalendarOutOfRange,
    add_working_days,
    is_working_day,
    promise_label,
    promised_date,
    supported_years,
)

FIRST_YEAR, LAST_YEAR = supported_years()
needs_2026 = pytest.mark.skipif(LAST_YEAR < 2026, reason="节假日数据尚不含 2026 年")


def test_supported_years_come_from_the_library_data() -> None:
    years = {d.year for d in chinese_calendar.holidays}
    assert (min(years), max(years)) == (FIRST_YEAR, LAST_YEAR)
    assert FIRST_YEAR <= 2025 <= LAST_YEAR


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 9, 28), True),  # Sunday, 调休
    (date(2025, 10, 1), False),
    (date(2025, 10, 8), False),  # Wednesday, still 国庆
    (date(2025, 10, 9), True),
    (date(2025, 10, 11), True),  # Saturday, 调休
    (date(2025, 10, 12), False),  # an ordinary Sunday
    (date(2025, 1, 26), True),  # Sunday, 调休
    (date(2025, 1, 28), False),  # 除夕
    (date(2025, 2, 4), False),
    (date(2025, 2, 8), True),  # Saturday, 调休
    (date(2025, 2, 9), False),
])
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_national_day_2025_counts_the_adjusted_saturday() -> None:
    # accepted Tue 09-30; 1 = Thu 10-09, 2 = Fri 10-10, 3 = Sat 10-11 (调休), 4 = Mon 10-13
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)
    # Without the 调休 Saturday the fifth working day would have been Wednesday 10-15.
    assert add_working_days(date(2025, 9, 30), 5) != date(2025, 10, 15)


def test_national_day_2025_adjusted_sunday_before_the_holiday() -> None:
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # Fri -> Sun (调休)
    assert add_working_days(date(2025, 9, 26), 2) == date(2025, 9, 29)


def test_spring_festival_2025() -> None:
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)  # Fri -> Sun (调休)
    # accepted Mon 01-27, the last day before the break: 1 = Wed 02-05 … 4 = Sat 02-08 (调休)
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert add_working_days(date(2025, 1, 27), 4) == date(2025, 2, 8)
    assert add_working_days(date(2025, 1, 27), 5) == date(2025, 2, 10)


@needs_2026
def test_spring_festival_2026() -> None:
    # accepted Fri 02-13: 1 = Sat 02-14 (调休), 2 = Tue 02-24, 5 = Fri 02-27, 6 = Sat 02-28 (调休)
    start = date(2026, 2, 13)
    assert add_working_days(start, 1) == date(2026, 2, 14)
    assert add_working_days(start, 2) == date(2026, 2, 24)
    assert add_working_days(start, 5) == date(2026, 2, 27)
    assert add_working_days(start, 6) == date(2026, 2, 28)


@needs_2026
def test_national_day_2026() -> None:
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)  # Fri -> Sun (调休)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Sat (调休)
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_acceptance_day_never_counts_even_on_a_weekend() -> None:
    # accepted on Saturday 2025-10-11 (a working day) or Sunday 10-12: day 1 is Monday 10-13
    assert add_working_days(date(2025, 10, 11), 1) == date(2025, 10, 13)
    assert add_working_days(date(2025, 10, 12), 1) == date(2025, 10, 13)
    assert add_working_days(date(2025, 10, 12), 0) == date(2025, 10, 12)


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(date(2025, 3, 3), -1)


def test_datetime_is_treated_as_its_date() -> None:
    assert add_working_days(datetime(2025, 9, 30, 17, 45), 5) == date(2025, 10, 14)


def test_beyond_the_known_years_is_an_error_not_a_guess() -> None:
    last_day = date(LAST_YEAR, 12, 31)
    assert add_working_days(last_day, 0) == last_day
    with pytest.raises(CalendarOutOfRange) as caught:
        add_working_days(last_day, 1)
    err = caught.value
    assert err.day == date(LAST_YEAR + 1, 1, 1)
    assert (err.first_year, err.last_year) == (FIRST_YEAR, LAST_YEAR)
    message = str(err)
    assert f"{FIRST_YEAR}–{LAST_YEAR} 年" in message
    assert f"{LAST_YEAR + 1}-01-01" in message
    assert "升级" in message
    with pytest.raises(CalendarOutOfRange):
        is_working_day(date(FIRST_YEAR - 1, 6, 1))
    with pytest.raises(CalendarOutOfRange):
        add_working_days(date(LAST_YEAR + 1, 3, 2), 0)


def test_library_range_error_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(day: date) -> bool:
        raise NotImplementedError("no available data")

    monkeypatch.setattr(chinese_calendar, "is_workday", refuse)
    with pytest.raises(CalendarOutOfRange):
        is_working_day(date(2025, 5, 6))


@given(start=st.dates(date(2010, 1, 1), date(2025, 10, 31)), n=st.integers(0, 40))
def test_the_count_is_exact(start: date, n: int) -> None:
    due = add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(map(is_working_day, between)) == n
    if n:
        assert is_working_day(due)


PROMISED_5 = Handling(type=HandlingType.PROMISED, days=5)
IMMEDIATE = Handling(type=HandlingType.IMMEDIATE)
REFERRED = Handling(type=HandlingType.REFERRED)


def test_promised_date_by_handling_type() -> None:
    assert promised_date(PROMISED_5, date(2025, 9, 30)) == date(2025, 10, 14)
    assert promised_date(IMMEDIATE, date(2025, 10, 1)) == date(2025, 10, 1)
    assert promised_date(REFERRED, date(2025, 9, 30)) is None
    # 即办 needs no calendar, so it works in any year
    assert promised_date(IMMEDIATE, date(LAST_YEAR + 5, 1, 1)) == date(LAST_YEAR + 5, 1, 1)
    with pytest.raises(CalendarOutOfRange):
        promised_date(PROMISED_5, date(LAST_YEAR, 12, 30))


def test_promise_label() -> None:
    assert promise_label(PROMISED_5, date(2025, 9, 30)) == "承诺 2025年10月14日前办结（5 个工作日）"
    assert promise_label(IMMEDIATE, date(2025, 9, 30)) == "即办件，当场办结"
    assert "承办部门" in promise_label(REFERRED, date(2025, 9, 30))

"""Promised completion dates counted in Chinese working days (工作日).

A 承诺件 promises completion within N working days, and residents plan around the date printed
on their receipt, so the count must follow the State Council holiday schedule: statutory
holidays are rest days and 调休 weekend days are working days. The schedule comes from
chinese-calendar, which only knows the years already announced; beyond them we refuse to guess
(`CalendarOutOfRange`) rather than fall back to plain Monday-to-Friday counting, which would
print a wrong date every time a holiday falls inside the period.

Convention: the day of acceptance never counts. Working day 1 is the first working day *after*
the acceptance date, whether or not the acceptance date was itself a working day (a station open
on a Sunday still starts counting on the next working day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

from station_app.domain.catalogue import Handling, HandlingType

__all__ = [
    "CalendarOutOfRange",
    "WorkCalendar",
    "YearSchedule",
    "add_working_days",
    "is_working_day",
    "promise_label",
    "promised_date",
    "supported_years",
]

_ONE_DAY = timedelta(days=1)


class CalendarOutOfRange(ValueError):
    """A date lies in a year whose holiday schedule the installed calendar data does not hold."""

    def __init__(self, day: date, first_year: int, last_year: int) -> None:
        self.day = day
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(
            f"无法判断 {day.isoformat()} 是否为工作日：节假日安排数据只覆盖 "
            f"{first_year}–{last_year} 年。请更新事项目录中的节假日安排（holidays.yaml）"
            f"或升级本程序后再计算承诺办结日期。"
        )


@cache
def supported_years() -> tuple[int, int]:
    """First and last year the installed holiday data covers (read from the data itself)."""
    # The library exposes its schedule as dicts keyed by date; its own range check uses the
    # holiday keys, so we do the same to agree with it exactly.
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


@dataclass(frozen=True)
class YearSchedule:
    """One year's State Council schedule, for a year the installed library does not know yet.

    Published each November; the district ships it with a catalogue update
    (`catalogue/holidays.yaml`), so stations need no new program to count into the new year.
    """

    year: int
    holidays: frozenset[date]  # rest days that would otherwise be weekdays or weekends
    workdays: frozenset[date]  # 调休: weekend days that are working days

    def is_working_day(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5


class WorkCalendar:
    """Working days from chinese-calendar, extended by published schedules of later years."""

    def __init__(self, extra: Iterable[YearSchedule] = ()) -> None:
        self._extra = {y.year: y for y in extra}

    def known_years(self) -> tuple[int, int]:
        first, last = supported_years()
        while last + 1 in self._extra:
            last += 1
        return first, last

    def is_working_day(self, d: date) -> bool:
        """True on ordinary weekdays and 调休 weekend days; False on weekends and holidays."""
        d = _as_date(d)
        if d.year in self._extra:
            return self._extra[d.year].is_working_day(d)
        first, last = self.known_years()
        if not first <= d.year <= supported_years()[1]:
            raise CalendarOutOfRange(d, first, last)
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:  # the library's own range check disagreed with ours
            raise CalendarOutOfRange(d, first, last) from None

    def add_working_days(self, start: date, n: int) -> date:
        """The date of the n-th working day after `start` (`start` itself never counts).

        `n == 0` returns `start` unchanged. Raises `CalendarOutOfRange` when the count would
        need a day outside the known years, and `ValueError` for negative `n`.
        """
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        day = _as_date(start)
        first, last = self.known_years()
        if not first <= day.year <= last:
            raise CalendarOutOfRange(day, first, last)
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def promised_date(self, handling: Handling, accepted_on: date) -> date | None:
        """The date by which the case is promised to be completed.

        - 即办件: completed at the counter, so the acceptance date itself.
        - 承诺件: `handling.days` working days after acceptance (see the module convention).
        - 转报件: None. The station only forwards the case; the receiving department sets its
          own time limit, so the terminal must not print a date it cannot stand behind.
        """
        accepted_on = _as_date(accepted_on)
        if handling.type is HandlingType.IMMEDIATE:
            return accepted_on
        if handling.type is HandlingType.PROMISED:
            if handling.days is None:  # the schema forbids this; keep the type checker honest
                raise ValueError("承诺件缺少承诺工作日数")
            return self.add_working_days(accepted_on, handling.days)
        return None

    def promise_label(self, handling: Handling, accepted_on: date) -> str:
        """One line for receipts and case lists, never an exception.

        When the due date falls in a year whose schedule is not published yet, the label
        promises the number of working days and says the exact date will follow.
        """
        if handling.type is HandlingType.IMMEDIATE:
            return "即办件，当场办结"
        try:
            due = self.promised_date(handling, accepted_on)
        except CalendarOutOfRange as e:
            return (f"承诺 {handling.days} 个工作日内办结（{e.day.year} 年节假日安排尚未载入，"
                    f"具体日期另行告知）")
        if due is None:
            return "转报件，办结时限以承办部门答复为准"
        return f"承诺 {due.year}年{due.month}月{due.day}日前办结（{handling.days} 个工作日）"


_DEFAULT = WorkCalendar()


def is_working_day(d: date) -> bool:
    """`WorkCalendar.is_working_day` with the installed data only."""
    return _DEFAULT.is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """`WorkCalendar.add_working_days` with the installed data only."""
    return _DEFAULT.add_working_days(start, n)


def promised_date(handling: Handling, accepted_on: date) -> date | None:
    """`WorkCalendar.promised_date` with the installed data only."""
    return _DEFAULT.promised_date(handling, accepted_on)


def promise_label(handling: Handling, accepted_on: date) -> str:
    """`WorkCalendar.promise_label` with the installed data only."""
    return _DEFAULT.promise_label(handling, accepted_on)

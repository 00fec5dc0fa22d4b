"""Counting working days into a year the installed calendar data does not know."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from station_app.domain.catalogue import Handling, HandlingType
from station_app.domain.catalogue_loader import check_catalogue
from station_app.domain.workdays import (
    CalendarOutOfRange,
    WorkCalendar,
    YearSchedule,
    supported_years,
)
from tests.helpers.catalogue import REPO_CATALOGUE

LAST = supported_years()[1]
NEXT = LAST + 1
# A made-up schedule for the first unknown year: New Year's Day (and the next day) off,
# and the first Saturday of January worked. Test data only, not a real notice.
jan1 = date(NEXT, 1, 1)
first_saturday = next(date(NEXT, 1, d) for d in range(1, 8) if date(NEXT, 1, d).weekday() == 5)
SCHEDULE = YearSchedule(NEXT, frozenset({jan1, date(NEXT, 1, 2)}), frozenset({first_saturday}))


def test_without_a_supplement_the_next_year_is_refused() -> None:
    with pytest.raises(CalendarOutOfRange) as info:
        WorkCalendar().add_working_days(date(LAST, 12, 31), 1)
    assert str(NEXT) in str(info.value) and "holidays.yaml" in str(info.value)


def test_supplement_extends_the_count_into_the_next_year() -> None:
    cal = WorkCalendar([SCHEDULE])
    assert cal.known_years()[1] == NEXT
    assert not cal.is_working_day(jan1)
    assert cal.is_working_day(first_saturday)
    day = cal.add_working_days(date(LAST, 12, 31), 3)
    # walk it by hand from the schedule: weekdays, minus the two rest days, plus the Saturday
    expected, count, d = None, 0, date(NEXT, 1, 1)
    while expected is None:
        if d == first_saturday or (d.weekday() < 5 and d not in SCHEDULE.holidays):
            count += 1
            if count == 3:
                expected = d
        d = date.fromordinal(d.toordinal() + 1)
    assert day == expected


def test_label_never_raises_and_says_the_date_will_follow() -> None:
    h = Handling(type=HandlingType.PROMISED, days=20)
    label = WorkCalendar().promise_label(h, date(LAST, 12, 20))
    assert "20 个工作日" in label and "尚未载入" in label
    assert "前办结" in WorkCalendar([SCHEDULE]).promise_label(h, date(LAST, 12, 20))


def test_catalogue_reads_and_checks_holidays_file(tmp_path: Path) -> None:
    src = REPO_CATALOGUE
    dst = tmp_path / "catalogue"
    shutil.copytree(src, dst)
    (dst / "holidays.yaml").write_text(
        f"years:\n  {NEXT}:\n    source: 测试通知\n    holidays: [{jan1.isoformat()}]\n"
        f"    workdays: [{first_saturday.isoformat()}]\n", encoding="utf-8")
    cat, errors = check_catalogue(dst)
    assert errors == [] and cat is not None
    assert cat.holidays[0].year == NEXT
    a_weekday = next(date(NEXT, 1, d) for d in range(3, 10) if date(NEXT, 1, d).weekday() < 5)
    (dst / "holidays.yaml").write_text(
        f"years:\n  {NEXT}:\n    source: 测试通知\n    holidays: [{jan1.isoformat()}]\n"
        f"    workdays: [{a_weekday.isoformat()}]\n",
        encoding="utf-8")
    cat, errors = check_catalogue(dst)
    assert cat is None
    assert any(e.file == "holidays.yaml" and "不是周末" in e.message for e in errors)

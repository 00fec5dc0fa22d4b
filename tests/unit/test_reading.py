"""Numbers, dates and codes as they are read: grouped for the eye, in characters for the ear."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.domain.reading import (
    say_count,
    say_date,
    say_digits,
    say_id_number,
    say_number,
    say_reference,
    say_text,
)


def test_an_id_number_is_said_digit_by_digit_in_its_groups() -> None:
    assert say_id_number("42010519600101001X") == "四二零一零五，一九六零零一零一，零零一艾克斯"
    assert say_id_number("4201") == "四二零一"  # a fragment as typed
    assert say_digits("007") == "零零七"


@pytest.mark.parametrize(("n", "words"), [
    (0, "零"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"),
    (110, "一百一十"), (2000, "两千"), (1200, "一千二百"), (3600, "三千六百"),
    (10010, "一万零一十"), (20000, "两万"), (123456789, "一亿两千三百四十五万六千七百八十九"),
])
def test_quantities_are_said_as_numbers(n: int, words: str) -> None:
    assert say_number(n) == words


def test_a_count_before_a_measure_word_says_two_as_liang() -> None:
    assert [say_count(n) for n in (1, 2, 12)] == ["一", "两", "十二"]


def test_dates_are_said_year_digit_by_digit_then_month_and_day() -> None:
    assert say_date(date(1960, 1, 1)) == "一九六零年一月一日"
    assert say_date(date(2026, 12, 23)) == "二零二六年十二月二十三日"


@pytest.mark.parametrize(("text", "said"), [
    ("1960-01-01", "一九六零年一月一日"),
    ("2026年12月3日前办结（5 个工作日）", "二零二六年十二月三日前办结（五 个工作日）"),
    ("2026年度", "二零二六年度"),
    ("13800000000", "一三八零零零零零零零零"),  # a phone number is spelled, not counted
    ("027-84700000", "零二七，八四七零零零零零"),
    ("1200.50 元", "一千二百点五零 元"),
    ("420105 19600101 001X", "四二零一零五，一九六零零一零一，零零一艾克斯"),
    ("420***********001X", "四百二十，零零一艾克斯"),  # a masked value's stars are a pause
    ("即办件，当场办结", "即办件，当场办结"),
])
def test_free_text_has_every_number_date_and_code_in_characters(text: str, said: str) -> None:
    assert say_text(text) == said


def test_a_reference_is_dictated_letters_apart_from_digits_in_short_groups() -> None:
    assert say_reference("HY261206-7K3M9Q2X") == "艾尺歪，二六一二零六，七开三艾姆，九丘二艾克斯"

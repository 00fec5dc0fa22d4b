"""The keyboard-wedge decoder: a fast burst ending in Enter is a card; a person typing is not."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.services.card_drivers.wedge import MAX_GAP_SECONDS, WedgeDecoder, card_from_number
from station_app.services.id_card import IdCardReadError

NUMBER = "42010519600101001X"
FAST = 0.008  # a reader's key interval
SLOW = 0.15  # a quick typist's


def type_keys(decoder: WedgeDecoder, text: str, start: float, gap: float) -> list[object]:
    return [decoder.feed(char, start + i * gap) for i, char in enumerate(text)]


def test_a_fast_burst_ending_in_enter_is_a_card() -> None:
    results = type_keys(WedgeDecoder(), NUMBER + "\r", 100.0, FAST)
    assert results[:-1] == [None] * len(NUMBER)
    card = results[-1]
    assert card == card_from_number(NUMBER)
    assert card_from_number(NUMBER).sex == "男"
    assert card_from_number(NUMBER).birth == date(1960, 1, 1)
    assert card_from_number(NUMBER).name == "" and card_from_number(NUMBER).address == ""


def test_a_person_typing_is_not_a_card() -> None:
    assert type_keys(WedgeDecoder(), NUMBER + "\n", 100.0, SLOW)[-1] is None


def test_one_slow_key_inside_the_burst_breaks_it() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, NUMBER[:9], 100.0, FAST)
    assert type_keys(decoder, NUMBER[9:] + "\r", 100.0 + 9 * FAST + SLOW, FAST)[-1] is None


def test_a_slow_enter_after_a_fast_number_is_not_a_card() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, NUMBER, 100.0, FAST)
    assert decoder.feed("\r", 100.0 + len(NUMBER) * FAST + SLOW) is None


def test_a_burst_after_earlier_slow_typing_is_recognised() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, "张三", 10.0, SLOW)
    assert type_keys(decoder, NUMBER + "\r", 20.0, FAST)[-1] is not None


@pytest.mark.parametrize("text", ["420105196001010010", "4201051960", "12345678901234567890X",
                                  "ABCDEFGHIJKLMNOPQR"])
def test_a_fast_burst_that_is_not_a_valid_number_is_ignored(text: str) -> None:
    assert type_keys(WedgeDecoder(), text + "\r", 5.0, FAST)[-1] is None


def test_lower_case_x_and_fifteen_digit_numbers() -> None:
    assert type_keys(WedgeDecoder(), NUMBER.lower() + "\r", 0.0, FAST)[-1] is not None
    card = type_keys(WedgeDecoder(), "420105600101001\r", 0.0, FAST)[-1]
    assert card is not None and card_from_number("420105600101001").id_number == NUMBER


def test_the_gap_is_a_strict_bound() -> None:
    assert type_keys(WedgeDecoder(), NUMBER + "\r", 0.0, MAX_GAP_SECONDS * 1.01)[-1] is None
    assert type_keys(WedgeDecoder(), NUMBER + "\r", 0.0, MAX_GAP_SECONDS * 0.9)[-1] is not None


def test_card_from_number_refuses_what_is_not_a_number() -> None:
    with pytest.raises(IdCardReadError, match="不是有效的身份证号"):
        card_from_number("hello")

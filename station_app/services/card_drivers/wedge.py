"""Keyboard-wedge readers: the reader "types" the ID number and presses Enter.

Only the number arrives, so the card holds the number and what it tells (sex, birth date);
name and address stay empty and do not blank what the worker typed
(``services.id_card.card_values``). What tells a reader from a person is speed: a reader types
a whole number with a few milliseconds between keys, a person needs well over 50 ms per key,
so a burst counts only when every gap, Enter included, is below ``max_gap``. The decoder is
fed (character, monotonic time) and knows nothing of Qt; ``ui.card_wedge`` feeds it key
presses and the ``card test`` command feeds it a line of standard input.
"""

from __future__ import annotations

from typing import Final

from station_app.domain.id_card_data import IdCardData
from station_app.domain.idcard import InvalidIdNumber, parse_id_number
from station_app.services.id_card import IdCardReadError

MAX_GAP_SECONDS: Final = 0.05
ENTER: Final = frozenset({"\r", "\n"})
NUMBER_LENGTHS: Final = (15, 18)


def card_from_number(text: str) -> IdCardData:
    """The card a wedge describes by its number; :class:`IdCardReadError` if not a number."""
    try:
        number = parse_id_number(text)
    except InvalidIdNumber as e:
        raise IdCardReadError(f"阅读器输入的不是有效的身份证号（{e.message}）：请重新刷证，"
                              "或手工录入") from None
    return IdCardData(name="", id_number=number.number18, address="", sex=number.sex.value,
                      birth=number.birth_date)


class WedgeDecoder:
    """Recognises a burst of keys ending in Enter that spells an ID number."""

    def __init__(self, max_gap: float = MAX_GAP_SECONDS) -> None:
        self.max_gap = max_gap
        self._burst: list[str] = []
        self._last: float | None = None

    def feed(self, char: str, at: float) -> IdCardData | None:
        """One key (a single character; ``\\r`` or ``\\n`` for Enter) pressed at ``at``.

        Returns the card when this Enter ends a fast burst that is a valid number; anything
        else (slow typing, other text) returns None and is left to the focused field.
        """
        fast = self._last is not None and at - self._last < self.max_gap
        self._last = at
        if char in ENTER:
            burst, self._burst = "".join(self._burst), []
            if not fast or len(burst) not in NUMBER_LENGTHS:
                return None
            try:
                return card_from_number(burst)
            except IdCardReadError:
                return None
        if not fast:
            self._burst = []
        if len(self._burst) <= max(NUMBER_LENGTHS):  # longer is not a number: stop growing
            self._burst.append(char)
        return None

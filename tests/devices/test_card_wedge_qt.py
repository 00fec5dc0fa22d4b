"""The wedge filter on a real application: fast key presses into a field emit the card once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from station_app.services.id_card import IdCardData
from station_app.ui.card_wedge import CardWedgeFilter

NUMBER = "42010519600101001X"


class StepClock:
    """A monotonic clock the test advances by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def wedge(qapp: QApplication, clock: StepClock) -> Iterator[CardWedgeFilter]:
    watcher = CardWedgeFilter(clock=clock)
    qapp.installEventFilter(watcher)
    yield watcher
    qapp.removeEventFilter(watcher)


@pytest.fixture
def field(qtbot: QtBot) -> Iterator[QLineEdit]:
    window = QWidget()  # kept alive by this generator until the test ends
    qtbot.addWidget(window)
    edit = QLineEdit(window)
    QVBoxLayout(window).addWidget(edit)
    window.show()
    qtbot.waitExposed(window)
    edit.setFocus()
    yield edit


def type_text(qtbot: QtBot, field: QLineEdit, clock: StepClock, text: str, gap: float) -> None:
    for char in text:
        clock.now += gap
        if char == "\r":
            qtbot.keyClick(field, Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(field, char)


def test_a_reader_burst_emits_the_card_and_the_field_keeps_the_text(
        qtbot: QtBot, wedge: CardWedgeFilter, field: QLineEdit, clock: StepClock) -> None:
    cards: list[IdCardData] = []
    wedge.card_read.connect(cards.append)
    type_text(qtbot, field, clock, NUMBER + "\r", 0.005)
    assert [c.id_number for c in cards] == [NUMBER]  # once, though the key propagates
    assert cards[0].birth is not None and cards[0].name == ""
    assert field.text() == NUMBER  # nothing swallowed


def test_a_person_typing_emits_nothing(qtbot: QtBot, wedge: CardWedgeFilter, field: QLineEdit,
                                       clock: StepClock) -> None:
    cards: list[IdCardData] = []
    wedge.card_read.connect(cards.append)
    type_text(qtbot, field, clock, NUMBER + "\r", 0.2)
    assert cards == [] and field.text() == NUMBER


def test_keys_to_a_window_without_a_focused_field_count_too(
        qtbot: QtBot, wedge: CardWedgeFilter, clock: StepClock) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    cards: list[IdCardData] = []
    wedge.card_read.connect(cards.append)
    for char in NUMBER:
        clock.now += 0.004
        qtbot.keyClicks(window, char)
    clock.now += 0.004
    qtbot.keyClick(window, Qt.Key.Key_Enter)
    assert [c.id_number for c in cards] == [NUMBER]


def test_keys_that_propagate_to_parent_widgets_count_once(
        qtbot: QtBot, wedge: CardWedgeFilter, clock: StepClock) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    inner = QWidget(window)
    button = QPushButton("办理", inner)  # a button ignores digits: they go to inner, then window
    QVBoxLayout(window).addWidget(inner)
    window.show()
    qtbot.waitExposed(window)
    button.setFocus()
    cards: list[IdCardData] = []
    wedge.card_read.connect(cards.append)
    for char in NUMBER:
        clock.now += 0.004
        qtbot.keyClicks(button, char)
    clock.now += 0.004
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert [c.id_number for c in cards] == [NUMBER]

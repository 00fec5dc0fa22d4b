"""The terminal's window opens maximised the first time, then as the worker left it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from station_app.ui.window_state import STATE_FILE, show_remembered


def _window(qtbot: QtBot) -> QMainWindow:
    w = QMainWindow()
    w.setMinimumSize(400, 300)
    qtbot.addWidget(w)
    return w


def test_maximised_at_first_then_as_it_was_closed(qtbot: QtBot, tmp_path: Path) -> None:
    first = _window(qtbot)
    show_remembered(first, tmp_path)
    qtbot.waitUntil(first.isMaximized)
    first.showNormal()
    first.resize(700, 500)
    qtbot.waitUntil(lambda: not first.isMaximized() and first.width() == 700)
    first.close()
    state = json.loads((tmp_path / STATE_FILE).read_text(encoding="utf-8"))
    assert state["maximised"] is False
    again = _window(qtbot)
    show_remembered(again, tmp_path)
    qtbot.waitExposed(again)
    assert not again.isMaximized() and (again.width(), again.height()) == (700, 500)
    again.showMaximized()
    qtbot.waitUntil(again.isMaximized)
    again.close()
    third = _window(qtbot)
    show_remembered(third, tmp_path)
    qtbot.waitUntil(third.isMaximized)


def test_an_unreadable_state_file_means_first_start(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    w = _window(qtbot)
    show_remembered(w, tmp_path)
    qtbot.waitUntil(w.isMaximized)

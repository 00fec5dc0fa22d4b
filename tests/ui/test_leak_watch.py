"""The leak check of tests/ui/conftest.py: a test that leaves a Qt timer active or a Qt thread
running after its widgets are closed fails, and says which line started it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QProcess, QThread, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.leak_watch import LeakFound, LeakWatch


class Sleeper(QThread):
    """A worker thread that runs until asked to stop."""

    def run(self) -> None:
        self.exec()


@pytest.fixture
def watch() -> Iterator[LeakWatch]:
    """A second watch beside the autouse one, checked by the test itself."""
    with pytest.MonkeyPatch.context() as mp:
        w = LeakWatch()
        w.install(mp)
        yield w


def test_a_timer_left_active_on_a_closed_widget_fails_and_names_its_line(
        qtbot: QtBot, watch: LeakWatch) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    poll = QTimer(widget)
    poll.start(60_000)  # the leak
    widget.close()
    with pytest.raises(LeakFound, match=r"QTimer owned by QWidget still active, started at "
                                        r".*test_leak_watch\.py:\d+"):
        watch.check()
    assert not poll.isActive()  # stopped, so the next test is not disturbed
    watch.check()  # reported once


def test_a_running_thread_fails_and_is_stopped(watch: LeakWatch) -> None:
    worker = Sleeper()
    worker.start()
    with pytest.raises(LeakFound, match="QThread Sleeper still running"):
        watch.check()
    assert worker.isFinished()


def test_a_child_process_left_running_fails_and_is_killed(watch: LeakWatch) -> None:
    process = QProcess()
    process.start("sleep", ["60"])
    assert process.waitForStarted(5000)
    with pytest.raises(LeakFound, match=r"QProcess sleep still running, started at "
                                        r".*test_leak_watch\.py:\d+"):
        watch.check()
    assert process.state() == QProcess.ProcessState.NotRunning
    finished = QProcess()
    finished.start("true")
    assert finished.waitForFinished(5000)
    watch.check()  # a process that ended is not a leak


def test_stopped_or_deleted_work_is_not_a_leak(watch: LeakWatch) -> None:
    stopped = QTimer()
    stopped.start(60_000)
    stopped.stop()
    widget = QWidget()
    QTimer(widget).start(60_000)
    assert len(watch.leaks()) == 1  # active while its widget lives
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert watch.leaks() == []  # deleted with its widget
    worker = Sleeper()
    worker.start()
    worker.quit()
    assert worker.wait(5000)
    watch.check()


def test_the_autouse_watch_sees_this_test(leak_watch: LeakWatch) -> None:
    """The suite's own watch is installed around every widget test."""
    timer = QTimer()
    timer.start(60_000)
    assert [s.ref() for s in leak_watch.started] == [timer]
    timer.stop()

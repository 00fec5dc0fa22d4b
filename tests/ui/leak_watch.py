"""Find the Qt timers, threads and processes a test left running.

While a test runs, every `QTimer.start`, `QThread.start` and `QProcess.start` called from Python
is noted: a weak reference to the object and the line that started it. After the test, once
pytest-qt has closed the test's widgets, a timer still active, a thread or a child process
(the read-aloud engine) still running is a leak: it would fire into (or run beside) the next
test, and at the desk speak over the next resident. Work deleted with its widget is not a leak.

`check` stops what it finds, so one leaking test does not disturb the next, and then raises.
"""

from __future__ import annotations

import sys
import weakref
from dataclasses import dataclass
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QProcess, QThread, QTimer

THREAD_STOP_MS = 5000


class LeakFound(AssertionError):
    """A test left a Qt timer active, a Qt thread or a child process running; the message
    says where each was started."""


@dataclass(frozen=True)
class Started:
    """A timer or thread started during the test, and the line (file:line) that started it."""

    ref: weakref.ref[QObject]
    where: str

    def alive(self) -> QTimer | QThread | QProcess | None:
        obj = self.ref()
        if obj is None or not shiboken6.isValid(obj):
            return None  # deleted (with its widget): nothing left to fire
        if isinstance(obj, QThread) and obj.isRunning():
            return obj
        if isinstance(obj, QTimer) and obj.isActive():
            return obj
        if isinstance(obj, QProcess) and obj.state() != QProcess.ProcessState.NotRunning:
            return obj
        return None


def _caller() -> str:
    frame = sys._getframe(2)
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


class LeakWatch:
    """Notes starts while installed; `check` after the test's widgets are closed."""

    def __init__(self) -> None:
        self.started: list[Started] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wrap `QTimer.start`, `QThread.start` and `QProcess.start` until ``monkeypatch`` is
        undone."""
        timer_start, thread_start, process_start = QTimer.start, QThread.start, QProcess.start

        # Also connected straight to signals (``textChanged.connect(timer.start)``), which
        # hand over their own arguments: like PySide, keep only what the original accepts.
        def start_timer(timer: QTimer, *args: Any) -> None:
            self.started.append(Started(weakref.ref(timer), _caller()))
            msec = [a for a in args[:1] if isinstance(a, int)]
            timer_start(timer, *msec)

        def start_thread(thread: QThread, *args: Any) -> None:
            self.started.append(Started(weakref.ref(thread), _caller()))
            priority = [a for a in args[:1] if isinstance(a, QThread.Priority)]
            thread_start(thread, *priority)

        def start_process(process: QProcess, *args: Any) -> None:
            self.started.append(Started(weakref.ref(process), _caller()))
            process_start(process, *args)

        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QProcess, "start", start_process)
        monkeypatch.setattr(QThread, "start", start_thread)

    def leaks(self) -> list[str]:
        """One line per timer still active or thread still running."""
        found = []
        for s in self.started:
            obj = s.alive()
            if isinstance(obj, QThread):
                found.append(f"QThread {type(obj).__name__} still running, started at {s.where}")
            elif isinstance(obj, QProcess):
                found.append(f"QProcess {obj.program()} still running, started at {s.where}")
            elif obj is not None:
                owner = obj.parent()
                by = f" owned by {type(owner).__name__}" if owner is not None else ""
                found.append(f"QTimer{by} still active, started at {s.where}")
        return list(dict.fromkeys(found))

    def check(self) -> None:
        """Raise `LeakFound` naming every leak, after stopping them all."""
        found = self.leaks()
        for s in self.started:
            obj = s.alive()
            if isinstance(obj, QTimer):
                obj.stop()
            elif isinstance(obj, QProcess):
                obj.kill()
                obj.waitForFinished(THREAD_STOP_MS)
            elif isinstance(obj, QThread):
                obj.quit()
                if not obj.wait(THREAD_STOP_MS):
                    obj.terminate()
                    obj.wait()
        self.started.clear()
        if found:
            raise LeakFound("the test left Qt work or a process running (stop it in the "
                            "widget's shutdown/closeEvent, or in the test):\n  "
                            + "\n  ".join(found))

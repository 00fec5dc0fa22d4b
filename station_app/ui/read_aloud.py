"""朗读 in the window: the engine speaks in its own process, one reading at a time.

`ReadAloud` runs the engine's play command (`services.read_aloud`) in a `QProcess` and hands
it the text on standard input once it has started, so the window never waits for speech. The
text never touches the disk and the engine plays it straight to the sound device. A new
reading stops the one before; a reading that outlives the engine's time limit is stopped.
The only waits on the window's thread are bounded and short: the engine is looked up once, at
the first request (a voice listing, bounded by `services.read_aloud.PROBE_TIMEOUT_S`), and a
stopped engine is reaped right after it is killed.

There is one `ReadAloud` for the program (`ReadAloud.of`): the station has one loudspeaker,
so one voice at a time, and the views that read aloud (the worker's pages, the resident's
window) are built by pages that know nothing of the station's settings. The composition root
gives the main window one at the configured speed and every window speaks through it; a
window alone (tests, screenshots) gets one at the default speed when a reading is asked for.

`ReadAloudButton` is the 朗读 button of a view (large, F9, an accessible name). Pressed again
while its own reading goes on, it stops it; hidden (page change, window closed) it stops it
too, so nothing goes on speaking over the next resident.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from station_app.services.read_aloud import (
    DEFAULT_RATE,
    ENGINE_FAILED,
    TIMED_OUT,
    ReadAloudUnavailable,
    Speaker,
    find_speaker,
    play_problem,
)

SHORTCUT = "F9"
KILL_WAIT_MS = 2000  # a killed engine is reaped at once; bounded in case the system is slow


class ReadAloud(QObject):
    """Signals: ``started``; ``ended`` when a reading is over (done, stopped or failed);
    ``failed(line)`` with one Chinese line when the engine is missing or went wrong (the
    reading was asked for by `last_owner`)."""

    started = Signal()
    ended = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, rate: int = DEFAULT_RATE,
                 speaker: Speaker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readAloud")
        self._rate = rate
        self._speaker = speaker
        self._process: QProcess | None = None
        self._owner: object | None = None
        self.last_owner: object | None = None
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.timeout.connect(self._timed_out)
        if isinstance(parent, QWidget):
            parent.installEventFilter(self)  # the window hidden or closed: stop reading

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Hide:
            self.stop()
        return super().eventFilter(watched, event)

    @classmethod
    def of(cls, widget: QWidget) -> ReadAloud:
        """The reader of ``widget``'s window, else of another window of the program (the
        resident's window speaks through the main window's), else a new one on ``widget``'s
        window at the default speed."""
        window = widget.window()
        for candidate in (window, *QApplication.topLevelWidgets()):
            found = candidate.findChild(ReadAloud, "readAloud",
                                        Qt.FindChildOption.FindDirectChildrenOnly)
            if isinstance(found, ReadAloud):
                return found
        return cls(window)

    def speaking(self, owner: object | None = None) -> bool:
        """Whether a reading goes on (for ``owner``, when given)."""
        return self._process is not None and (owner is None or owner is self._owner)

    def speak(self, text: str, owner: object | None = None) -> bool:
        """Stop any reading and start reading ``text``; False (and ``failed``) without engine."""
        self.stop()
        self.last_owner = owner
        speaker = self._engine()
        if speaker is None:
            return False
        command = speaker.play_command()
        process = QProcess(self)
        process.setProgram(command[0])
        process.setArguments(command[1:])
        process.setStandardOutputFile(QProcess.nullDevice())
        data = text.encode("utf-8")
        process.started.connect(lambda: self._feed(process, data))
        process.finished.connect(lambda code, status: self._finished(process, code, status))
        process.errorOccurred.connect(lambda error: self._error(process, error))
        self._process, self._owner = process, owner
        self._limit.start(round(speaker.time_limit(text) * 1000))
        process.start()
        self.started.emit()
        return True

    def stop(self) -> None:
        """Stop the reading now (the engine is killed); nothing happens when none goes on."""
        process = self._release()
        if process is None:
            return
        process.blockSignals(True)
        process.kill()
        process.waitForFinished(KILL_WAIT_MS)
        process.deleteLater()
        self.ended.emit()

    # -- internals ----------------------------------------------------------------------------

    def _engine(self) -> Speaker | None:
        if self._speaker is None:
            try:
                self._speaker = find_speaker(self._rate)
            except ReadAloudUnavailable as e:
                self.failed.emit(str(e))
                return None
        return self._speaker

    def _release(self) -> QProcess | None:
        process, self._process, self._owner = self._process, None, None
        self._limit.stop()
        return process

    @staticmethod
    def _feed(process: QProcess, data: bytes) -> None:
        process.write(data)
        process.closeWriteChannel()

    def _finished(self, process: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if process is not self._process:
            return
        self._release()
        stderr = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        crashed = status is QProcess.ExitStatus.CrashExit
        problem = play_problem(code if not crashed else -1, stderr)
        process.deleteLater()
        self.ended.emit()
        if problem is not None:
            self.failed.emit(problem)

    def _error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if process is not self._process or error is not QProcess.ProcessError.FailedToStart:
            return  # a crash or a kill ends in `finished`
        self._release()
        process.deleteLater()
        self._speaker = None  # look for the engine again next time (it may have moved)
        self.ended.emit()
        self.failed.emit(ENGINE_FAILED.format(process.errorString()))

    def _timed_out(self) -> None:
        if self._process is not None:
            self.stop()
            self.failed.emit(TIMED_OUT)


class ReadAloudButton(QPushButton):
    """朗读（F9）: reads what ``text_of()`` returns (None: nothing to read); again: stop.

    Signal ``failed(line)``: the view shows the line where it shows its other messages.
    """

    failed = Signal(str)

    def __init__(self, text_of: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text_of = text_of
        self._reader: ReadAloud | None = None
        self.setProperty("role", "secondary")  # the theme's large target
        self.setAutoDefault(True)
        self.setAccessibleName(self.tr("朗读"))
        self.setAccessibleDescription(self.tr("用普通话读出本页内容，再按一次停止"))
        self.clicked.connect(self.toggle)
        self._show_state(False)

    def reader(self) -> ReadAloud:
        """The window's reader; signals are connected once per reader."""
        reader = ReadAloud.of(self)
        if reader is not self._reader:
            if self._reader is not None:
                self._reader.ended.disconnect(self._ended)
                self._reader.failed.disconnect(self._failed)
            reader.ended.connect(self._ended)
            reader.failed.connect(self._failed)
            self._reader = reader
        return reader

    def speaking(self) -> bool:
        return self._reader is not None and self._reader.speaking(self)

    def toggle(self) -> None:
        reader = self.reader()
        if reader.speaking(self):
            reader.stop()
            return
        text = self._text_of()
        if text:
            self._show_state(reader.speak(text, owner=self))

    def stop(self) -> None:
        if self.speaking() and self._reader is not None:
            self._reader.stop()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        super().hideEvent(event)

    def _ended(self) -> None:
        self._show_state(self.speaking())

    def _failed(self, line: str) -> None:
        if self._reader is not None and self._reader.last_owner is self:
            self.failed.emit(line)

    def _show_state(self, speaking: bool) -> None:
        self.setText(self.tr("停止朗读（F9）") if speaking else self.tr("朗读（F9）"))
        self.setShortcut(SHORTCUT)  # setText replaced it with the text's (absent) mnemonic

"""One start, timed from the parent's clock: ``python -m tests.bench.start_child MODE DIR T0``
[STAFF_NO PASSWORD].

MODE ``bare``: a bare PySide6 window with a focused line edit (the floor of any Qt start).
MODE ``typing``: the terminal's start, with a key press posted to the focused search box every
``KEY_EVERY_MS`` from the moment it is usable until the station is attached; prints
``keys N median MS longest MS``: how long each key waited to be handled while the database
was being opened on the worker thread (the window must take typing meanwhile).
MODE ``terminal``: the terminal's own start on DIR, signed in as the demo operator: the
``station-app`` entry's modules are imported first, as the real command does, then
``app.run_gui``. With STAFF_NO and PASSWORD after T0, signed in as that operator instead (a
station that is not a demo one). Prints ``usable S``: the seconds from T0 (the parent's
``time.time()`` just before it started this process) to the first moment the window is shown
with the keyboard focus in its search box, i.e. a worker could type. The terminal's start then
also prints ``ready S``: when the station's database is open in the window (every page can be
opened; see ``station_app.ui.station_opener``); then it quits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

POLL_MS = 2
KEY_EVERY_MS = 20


def _type_until_attached(waits: list[float]) -> None:
    """Post a key to the focused line edit every KEY_EVERY_MS; note how long each waited."""
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit

    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def press() -> None:
        focus = app.focusWidget()
        if isinstance(focus, QLineEdit) and focus.window().isVisible():
            posted = time.perf_counter()
            app.postEvent(focus, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                           Qt.KeyboardModifier.NoModifier, "a"))
            QTimer.singleShot(0, lambda: waits.append(time.perf_counter() - posted))
        QTimer.singleShot(KEY_EVERY_MS, press)

    QTimer.singleShot(0, press)


def _when_usable(t0: float, *, then_quit: bool) -> None:
    """Print the elapsed time once a visible window's focused widget is a line edit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit

    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def check() -> None:
        focus = app.focusWidget()
        if isinstance(focus, QLineEdit) and focus.window().isVisible():
            print(f"usable {time.time() - t0:.4f}", flush=True)
            if then_quit:
                app.quit()
        else:
            QTimer.singleShot(POLL_MS, check)

    QTimer.singleShot(0, check)


def main(argv: list[str]) -> int:
    mode, data_dir, t0 = argv[0], Path(argv[1]), float(argv[2])
    if mode in ("terminal", "typing"):  # what `station-app` imports before the window
        import station_app.cli  # noqa: F401
    from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

    app = QApplication(sys.argv[:1])
    _when_usable(t0, then_quit=mode == "bare")
    if mode == "bare":
        window = QMainWindow()
        edit = QLineEdit()
        window.setCentralWidget(edit)
        window.show()
        window.activateWindow()
        edit.setFocus()
        return app.exec()
    from station_app.app import run_gui
    from station_app.ui.main_window import MainWindow

    attach = MainWindow.attach
    waits: list[float] = []
    if mode == "typing":
        _type_until_attached(waits)

    def attach_then_quit(window: MainWindow, *args: Any, **kwargs: Any) -> None:
        attach(window, *args, **kwargs)
        print(f"ready {time.time() - t0:.4f}", flush=True)
        if waits:
            import statistics  # here: the terminal itself does not import it to start

            print(f"keys {len(waits)} median {statistics.median(waits) * 1000:.1f} "
                  f"longest {max(waits) * 1000:.1f}", flush=True)
        app.quit()

    MainWindow.attach = attach_then_quit  # type: ignore[method-assign,assignment]

    if len(argv) < 5:
        return run_gui(data_dir, demo=True)
    from datetime import UTC, datetime

    from station_app.services.security import Unlocked, sign_in

    def operator(folder: Path, _demo: bool) -> Unlocked | None:
        return sign_in(folder, argv[3], argv[4], datetime.now(UTC))

    return run_gui(data_dir, authenticate=operator)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run by test_resident_screen.py in its own process, on Qt's offscreen platform configured
with two monitors (the test's process has one): a real main window, the stand-in reader and a
PDF printer, the resident's window on the second monitor, then that monitor unplugged.

Prints one JSON object of what it saw; the parent test asserts on it. Usage:
    QT_QPA_PLATFORM=offscreen:configfile=SCREENS.json python -m tests.ui.two_screens_child DIR
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from station_app.config import StationSettings, save_settings
from station_app.domain.catalogue_loader import load_catalogue
from station_app.domain.id_card_data import IdCardData
from station_app.domain.search import SearchIndex
from station_app.paths import bundled_catalogue_dir
from station_app.printing.output import write_pdf
from station_app.printing.paper import Page
from station_app.services.card_watch import CardWatcher
from station_app.services.context import open_station
from station_app.ui.main_window import MainWindow
from tests.helpers.counter import RS04_PASSED, ZHANG, save_case


class Reader:
    card: IdCardData | None = None

    def read(self) -> IdCardData | None:
        return self.card


class Printer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.pages = folder, 0

    def print_page(self, page: Page) -> bool:
        self.pages += 1
        write_pdf(self.folder / f"printed-{self.pages}.pdf", page)
        return True


def wait(app: QApplication, done: Callable[[], bool], ms: int = 10_000) -> bool:
    for _ in range(ms // 20):
        if done():
            return True
        app.processEvents()
        QTest.qWait(20)
    return done()


def texts(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def main(folder: Path) -> dict[str, object]:
    app = QApplication(["two-screens"])
    ctx = open_station(folder / "station")
    ctx.settings = StationSettings(station_id="QDK01", station_name="七里一村红色驿站")
    save_settings(ctx.data_dir, ctx.settings)
    save_case(ctx, "RS04", ZHANG, phone="13871234567", benefit_type="企业职工基本养老保险",
              **RS04_PASSED)
    reader, printer = Reader(), Printer(folder / "printed")
    w = MainWindow(ctx, SearchIndex(load_catalogue(bundled_catalogue_dir())),
                   card_watcher=CardWatcher(lambda: reader, poll_seconds=0.05), printer=printer)
    w.resize(1366, 768)
    w.show()
    seen: dict[str, object] = {"screens": [s.name() for s in app.screens()]}
    desk, view = w.counter.desk, w.counter.view
    seen["idle_on"] = desk.window.screen().name() if desk.window else None
    seen["idle_full_screen"] = bool(desk.window and desk.window.isFullScreen())
    seen["idle_text"] = texts(view.idle)
    reader.card = ZHANG
    wait(app, lambda: bool(w.services.offers.buttons))
    QTest.mouseClick(w.services.offers.buttons[0], Qt.MouseButton.LeftButton)
    page = w.built_intake
    assert page is not None
    box = page.form_page.materials.box("老年人优待证（老年证）")
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    page.try_submit()
    seen["confirm_on"] = desk.window.screen().name() if desk.window else None
    seen["resident_shows"] = view.showing
    seen["resident_text"] = texts(view.confirm)
    seen["worker_text"] = texts(page.confirm_view)
    seen["worker_window_taken_over"] = w.root.currentWidget() is w.takeover_host
    gone = app.screens()[1]
    app.screenRemoved.emit(gone)  # the resident's monitor unplugged mid-case
    app.processEvents()
    seen["after_unplug_window"] = desk.window is not None
    seen["after_unplug_shows"] = view.showing
    seen["after_unplug_taken_over"] = w.root.currentWidget() is w.takeover_host
    seen["after_unplug_text"] = texts(view.confirm)
    seen["form_kept"] = page.form_view.widgets["name"].value()
    QTest.mouseClick(view.confirm.confirm_button, Qt.MouseButton.LeftButton)
    seen["saved"] = page.session is not None and page.session.submitted is not None
    seen["printed"] = printer.pages
    w.close()
    ctx.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False))

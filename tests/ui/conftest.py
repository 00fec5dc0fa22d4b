"""Fixtures for widget tests: a real station in tmp_path, themes that never leak between tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station_app.config import StationSettings, save_settings
from station_app.domain.search import SearchIndex
from station_app.printing.paper import Page
from station_app.services.card_watch import CardWatcher
from station_app.services.context import StationContext, open_station
from station_app.services.id_card import IdCardData
from station_app.services.opening import Opening
from station_app.ui.card_bridge import CardBridge
from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from station_app.ui.theme import Theme, apply_theme
from tests.ui.leak_watch import LeakWatch


@pytest.fixture(autouse=True)
def _restore_app_look(qapp: QApplication) -> Iterator[None]:
    """Themes are application-wide: put palette, font and style sheet back after each test.

    The test's widgets (closed by pytest-qt, their deletion pending) are deleted first, under
    the style sheet they were polished with: a window deleted later, after the next test had
    reset and set the application style sheet again, crashed Qt inside `setStyleSheet`
    (PySide6 6.10; seen once the window no longer held a page with a style sheet of its own).
    """
    palette, font, sheet = qapp.palette(), qapp.font(), qapp.styleSheet()
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.fixture(autouse=True)
def leak_watch(_restore_app_look: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[LeakWatch]:
    """Fail a test that leaves a Qt timer active or a Qt thread running once its widgets are
    closed (pytest-qt closes them before fixtures end; the look is restored after this)."""
    watch = LeakWatch()
    watch.install(monkeypatch)
    yield watch
    watch.check()


@pytest.fixture
def station_ctx(tmp_path: Path) -> Iterator[StationContext]:
    """An opened station (real SQLite, bundled catalogue) in a temporary folder."""
    ctx = open_station(tmp_path / "station")
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def named_ctx(station_ctx: StationContext) -> StationContext:
    """A station that has been through the first-run screen (settings file saved)."""
    station_ctx.settings = StationSettings(station_id="QDK01", station_name="七里一村红色驿站",
                                           contact_phone="027-84700000")
    save_settings(station_ctx.data_dir, station_ctx.settings)
    return station_ctx


@pytest.fixture(scope="session")
def search_index() -> SearchIndex:
    from station_app.domain.catalogue_loader import load_catalogue
    from station_app.paths import bundled_catalogue_dir

    return SearchIndex(load_catalogue(bundled_catalogue_dir()))


@pytest.fixture
def use_theme(qapp: QApplication) -> Callable[[Theme], None]:
    def apply(theme: Theme) -> None:
        apply_theme(qapp, theme)
        qapp.processEvents()
    return apply


@pytest.fixture
def make_window(qtbot: QtBot, search_index: SearchIndex
                ) -> Callable[[StationContext | Opening], MainWindow]:
    """A shown main window, closed (timers stopped) by qtbot at the end of the test (on an
    ``Opening``: the window as a start shows it, before the station is attached)."""
    def make(ctx: StationContext | Opening) -> MainWindow:
        w = MainWindow(ctx, search_index)
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()  # window shortcuts (Alt+1 …) need the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
        return w
    return make


# -- 受理 (intake) page ------------------------------------------------------------------------

class PdfPrinter:
    """Stands in for the desk printer (none exists here): every printed page is a real PDF."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: list[Path] = []

    def print_page(self, page: Page) -> bool:
        from station_app.printing.output import write_pdf

        path = self.folder / f"printed-{len(self.pages) + 1:02d}.pdf"
        self.pages.append(write_pdf(path, page))
        return True


class FakeCardReader:
    """Stands in for a desk ID-card reader: returns the card laid on it (None: no card)."""

    def __init__(self) -> None:
        self.card: IdCardData | None = None
        self.reads = 0

    def read(self) -> IdCardData | None:
        self.reads += 1
        return self.card


@pytest.fixture
def pdf_printer(tmp_path: Path) -> PdfPrinter:
    return PdfPrinter(tmp_path / "printed")


@pytest.fixture
def card_reader() -> FakeCardReader:
    return FakeCardReader()


@pytest.fixture
def card_bridge(qtbot: QtBot, card_reader: FakeCardReader) -> Iterator[CardBridge]:
    """The stand-in reader behind the real watcher thread and Qt bridge (reads on request)."""
    bridge = CardBridge(CardWatcher(lambda: card_reader, poll_seconds=0))
    yield bridge
    bridge.stop()


@pytest.fixture
def make_intake(qtbot: QtBot, named_ctx: StationContext, pdf_printer: PdfPrinter,
                card_bridge: CardBridge) -> Callable[..., IntakePage]:
    """A shown intake page on a real station, with the fake printer and card reader."""
    def make(code: str | None = None, ctx: StationContext | None = None) -> IntakePage:
        page = IntakePage(ctx or named_ctx, printer=pdf_printer)
        card_bridge.notice.connect(page.take_card)
        page.read_requested.connect(card_bridge.read_now)
        card_bridge.start()
        qtbot.addWidget(page)
        page.resize(1280, 860)
        page.show()
        qtbot.waitExposed(page)
        if code is not None:
            page.start(code)
        return page
    return make


@pytest.fixture
def read_pdf() -> Callable[[Path], tuple[str, list[str]]]:
    """Text of a PDF's first page, and the QR codes a real decoder finds on it."""
    def read(path: Path) -> tuple[str, list[str]]:
        import pypdfium2 as pdfium
        import zxingcpp

        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[0]
            text = page.get_textpage().get_text_range()
            codes = [b.text for b in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
        finally:
            pdf.close()
        return text, codes
    return read


@pytest.fixture
def type_text(qtbot: QtBot) -> Callable[[QWidget, str], None]:
    """Type into the focused input as at the desk: Latin keys pressed one by one, Chinese
    committed by the input method (QTest cannot press keys for 汉字)."""
    def type_into(widget: QWidget, text: str) -> None:
        widget.setFocus()
        for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
            if run.isascii():
                qtbot.keyClicks(widget, run)
            else:
                event = QInputMethodEvent("", [])
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)
    return type_into

"""The counter's devices and the resident's side, wired to the worker's window.

A card placed goes where the worker is: into the form being filled on 受理, and everywhere
else to the 事项 page, which offers what this resident is most likely here for. The reader's
problems are one line in the status bar. The resident's view (own monitor or whole window)
follows the intake page through :class:`IntakeLink`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from station_app.domain.id_card_data import IdCardData
from station_app.services.card_offers import offers_for
from station_app.services.card_watch import CardNotice, CardWatcher, watcher_for
from station_app.services.context import StationContext
from station_app.services.storage_errors import StorageFailed
from station_app.settings_schema import StationSettings
from station_app.ui.card_bridge import CardBridge
from station_app.ui.card_wedge import CardWedgeFilter
from station_app.ui.pages import PageKey, UnavailablePage
from station_app.ui.resident import ResidentDesk, ResidentView

if TYPE_CHECKING:
    from station_app.ui.intake import IntakePage
    from station_app.ui.main_window import MainWindow
    from station_app.ui.resident.intake_link import IntakeLink

log = logging.getLogger(__name__)


class Counter(QObject):
    """Owns the card watcher's bridge and the resident desk of one main window."""

    def __init__(self, window: MainWindow, ctx: StationContext,
                 watcher: CardWatcher | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self._reader_settings = ctx.settings
        self.wedge: CardWedgeFilter | None = None
        self.bridge = self._start_reader(watcher or watcher_for(ctx.settings))
        self.view = ResidentView(ctx.station.name)
        self.desk = ResidentDesk(self.view, window, window.takeover_host, window.take_over, self)
        self.link: IntakeLink | None = None
        window.services.offers.start_item.connect(self.start_item)
        window.services.offers.open_case.connect(self.open_case)

    def attach_intake(self, page: IntakePage) -> None:
        """The 受理 page was just built: its F2 asks the reader; the resident side follows it."""
        from station_app.ui.resident.intake_link import IntakeLink

        page.read_requested.connect(self.bridge.read_now)
        self.link = IntakeLink(self.ctx, page, self.desk, self)

    def settings_changed(self, settings: StationSettings) -> None:
        """Saved in 设置: the station's name for the resident; another reader opened now."""
        self.view.set_station(self.ctx.station.name)
        old = self._reader_settings
        if (old.card_driver, old.card_library, old.card_port) != (
                settings.card_driver, settings.card_library, settings.card_port):
            self._stop_reader()
            self._reader_settings = settings
            self.bridge = self._start_reader(watcher_for(settings))

    def stop(self) -> None:
        self._stop_reader()
        self.desk.stop()

    def _start_reader(self, watcher: CardWatcher) -> CardBridge:
        bridge = CardBridge(watcher, self)
        bridge.notice.connect(self._card)
        app = QCoreApplication.instance()
        if self._reader_settings.card_driver == "keyboard" and app is not None:
            self.wedge = CardWedgeFilter(self)
            self.wedge.card_read.connect(lambda card: self._card(CardNotice(card=card)))
            app.installEventFilter(self.wedge)
        return bridge

    def _stop_reader(self) -> None:
        self.bridge.stop()
        app = QCoreApplication.instance()
        if self.wedge is not None and app is not None:
            app.removeEventFilter(self.wedge)
            self.wedge.deleteLater()
            self.wedge = None

    def _card(self, notice: CardNotice) -> None:
        self.window.status_bar.set_reader_problem(
            notice.text if notice.text and not notice.asked else None)
        intake = self.window.built_intake
        if intake is not None and self.window.pages.currentWidget() is intake:
            intake.take_card(notice)
            return
        if notice.card is not None:
            self.show_offers(notice.card)
        elif notice.asked and notice.text:
            self.window.status_bar.set_reader_problem(notice.text)

    def show_offers(self, card: IdCardData) -> None:
        """On the 事项 page: the reviews due and the open cases of this card's holder."""
        try:
            offers = offers_for(self.ctx, card)
        except StorageFailed as e:
            log.error("读卡推荐无法读取办件：%s", e)
            self.window.status_bar.set_reader_problem(e.detail)
            return
        if self.window.pages.currentWidget() is not self.window.services:
            self.window.go_to(PageKey.SERVICES)
        self.window.services.offers.show_offers(card, offers)

    def start_item(self, code: str, card: IdCardData) -> None:
        """An offer chosen: the item's form, already filled from the card."""
        self.window.start_intake(code)
        intake = self.window.built_intake
        if intake is not None:
            intake.take_card(CardNotice(card=card))

    def open_case(self, tracking_ref: str) -> None:
        """An open case chosen: 办件, filtered to it, its detail shown."""
        self.window.go_to(PageKey.CASES)
        cases = self.window.cases
        if not isinstance(cases, UnavailablePage):
            cases.filters.search.setText(tracking_ref)
            cases.apply_filters()
            cases.select_row(0)

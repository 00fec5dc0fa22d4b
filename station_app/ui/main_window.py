"""The terminal's window: top bar, navigation, the four pages and the status bar.

It only wires pages together; every page gets the `StationContext` it needs from here, and the
sync engine (when there is one) is handed in by the composition root. Nothing here talks to
the network: the status bar reads a snapshot, and "立即同步" asks the engine to run.

The 事项 page is built at once (it is the first screen); 受理 and 办件 are built the first
time they are needed (see `ui.pages`), with their modules imported then.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from station_app.config import StationSettings
from station_app.domain.search import SearchIndex
from station_app.i18n import mark_data
from station_app.services.opening import Opening, station_info
from station_app.services.unlock import Unlocked
from station_app.ui.elder_switch import ElderSwitch
from station_app.ui.nav import NavBar
from station_app.ui.pages import Page, PageKey, PageSlot, UnavailablePage
from station_app.ui.services_page import ServicesPage
from station_app.ui.station_opener import opened
from station_app.ui.status_bar import StationStatusBar, StatusPoller
from station_app.ui.sync_bridge import SyncBridge, SyncControl
from station_app.ui.theme import THEMES, Theme, apply_theme
from station_app.ui.window_frame import WindowFrame

if TYPE_CHECKING:  # the data layer's parts, loaded once the station is open (see attach)
    from station_app.printing.output import Printer
    from station_app.services.card_watch import CardWatcher
    from station_app.services.context import StationContext
    from station_app.services.sessions import OperatorSession
    from station_app.services.station_status import StationStatus
    from station_app.ui.cases import CasesPage
    from station_app.ui.counter import Counter
    from station_app.ui.counter_guard import CounterGuard
    from station_app.ui.first_run import FirstRunPage
    from station_app.ui.intake import IntakePage
    from station_app.ui.settings_page import SettingsPage
    from station_app.ui.settings_screen import SettingsScreen

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)

SyncFactory = Callable[[], SyncControl | None]


def read_status(ctx: StationContext, sync: SyncControl | None) -> StationStatus:
    """From the sync engine when it runs, else straight from the outbox."""
    from station_app.services.station_status import from_sync, local_status

    return local_status(ctx) if sync is None else from_sync(sync.status())


class MainWindow(QMainWindow):
    """One window per terminal; `close()` stops its timer.

    Built on a ``StationContext`` it is whole at once (tests, screenshots). Built on an
    ``Opening`` (the daily start) it shows the 事项 page and its search from the files alone,
    while the database opens; :meth:`attach` then gives it the station and builds the rest.
    What a worker asks for in between (another page, an item's form) is done on attach.
    """

    def __init__(self, ctx: StationContext | Opening, index: SearchIndex, *,
                 sync: SyncControl | None = None, sync_factory: SyncFactory | None = None,
                 demo: bool = False, set_theme: Callable[[Theme], None] | None = None,
                 session: OperatorSession | None = None,
                 card_watcher: CardWatcher | None = None, printer: Printer | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = _utc_now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: StationContext | None = None
        self._settings_read = ctx.settings  # until attach: what the window was opened with
        self.session: OperatorSession | None = None
        self.sync: SyncControl | None = None
        self._bridge: SyncBridge | None = None
        self._sync_factory = sync_factory
        self._demo = demo
        self._set_theme = set_theme or _apply_to_app
        self._printer = printer
        self._pending: Callable[[], None] | None = None  # asked for before attach
        self._counter: Counter | None = None
        self.guard: CounterGuard | None = None
        self.setMinimumSize(1024, 640)
        labels = [self.tr("事项"), self.tr("受理"), self.tr("办件"), self.tr("设置")]
        self.nav = NavBar(labels)
        self.services = ServicesPage(ctx.catalogue, index)
        self._first_run: FirstRunPage | None = None  # built when the station needs it
        self._admin = session.who.is_admin if session is not None else True
        self.pages = QStackedWidget()
        self._place_pages(labels)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        mark_data(self.title)  # the station's name
        self.elder_button = ElderSwitch(lambda: THEMES[self.station_settings.theme],
                                        self._set_theme)
        self.lock_button = QPushButton(self.tr("锁定 / 切换用户"))
        self.lock_button.setProperty("role", "secondary")
        self.lock_button.setAccessibleName(self.tr("锁定终端，或换一位工作人员登录"))
        self.lock_button.hide()  # only when someone is signed in
        self.frame = WindowFrame(self, [self.title, self.lock_button, self.elder_button],
                                 self.nav, self.pages,
                                 [self.elder_button, *self.nav.buttons, self.services.search])
        self.root, self.takeover_host = self.frame.root, self.frame.takeover_host
        self.status_bar = StationStatusBar(ctx.operator, self._sync_now)
        self.setStatusBar(self.status_bar)
        self.poller = StatusPoller(lambda: read_status(self.ctx, self.sync), parent=self)
        self.poller.updated.connect(self.status_bar.show_status)
        self._connect()
        self.elder_button.show_theme(THEMES[self.station_settings.theme])
        self._update_title()
        self.nav.set_current(PageKey.SERVICES)
        self.show_first_run(False)
        if isinstance(ctx, Opening):
            self.status_bar.show_opening()
        else:
            self.attach(ctx, session=session, sync=sync, card_watcher=card_watcher,
                        monotonic=monotonic, wall=wall)

    def attach(self, ctx: StationContext, *, session: OperatorSession | None = None,
               sync: SyncControl | None = None, card_watcher: CardWatcher | None = None,
               monotonic: Callable[[], float] = time.monotonic,
               wall: Callable[[], datetime] = _utc_now) -> None:
        """The station is open: build what needs its database, then do what was asked."""
        from station_app.services.settings_form import needs_first_run
        from station_app.ui.counter import Counter
        from station_app.ui.counter_guard import CounterGuard

        self._ctx = ctx
        self.session = session
        self._counter = Counter(self, ctx, card_watcher)
        self._attach_sync(sync)
        self._update_title()
        first_run = needs_first_run(ctx)
        if first_run:
            self.show_first_run(True)
        self.poller.start()
        if session is not None:
            self.guard = CounterGuard(self.centralWidget(), session, monotonic=monotonic,
                                      wall=wall, changed=self._operator_changed)
            self._operator_changed(session.who)
            self.lock_button.clicked.connect(self.guard.lock_now)
            self.lock_button.show()
        pending, self._pending = self._pending, None
        if pending is not None and not first_run:
            pending()

    @property
    def ctx(self) -> StationContext:
        """The open station; StationOpening while it is still being opened."""
        return opened(self._ctx)

    @property
    def attached(self) -> bool:
        return self._ctx is not None

    @property
    def counter(self) -> Counter:
        return opened(self._counter)

    @property
    def station_settings(self) -> StationSettings:
        """The station's settings as they are now (the 设置 page may change them)."""
        return self._settings_read if self._ctx is None else self._ctx.settings

    def _operator_changed(self, who: Unlocked) -> None:
        self.status_bar.set_operator(who.label)
        self._admin = who.is_admin
        from station_app.ui.settings_screen import SettingsScreen

        screen = self._settings.built
        if isinstance(screen, SettingsScreen):
            screen.set_admin(who.is_admin)

    # --- pages ------------------------------------------------------------------------
    def _place_pages(self, labels: list[str]) -> None:
        """One slot per page, in `PageKey` order; 事项 is built now (the first screen), the
        others on first use."""
        self._services = PageSlot(self.pages, PageKey.SERVICES, lambda: self.services,
                                  title=labels[PageKey.SERVICES], what=labels[PageKey.SERVICES])
        self._intake = PageSlot(self.pages, PageKey.INTAKE, self._build_intake,
                                title=QCoreApplication.translate("Pages", "受理"),
                                what=QCoreApplication.translate("Pages", "受理页面"))
        self._cases = PageSlot(self.pages, PageKey.CASES, self._build_cases,
                               title=QCoreApplication.translate("Pages", "办件"),
                               what=QCoreApplication.translate("Pages", "办件页面"))
        self._settings = PageSlot(self.pages, PageKey.SETTINGS, self._build_settings,
                                  title=labels[PageKey.SETTINGS], what=labels[PageKey.SETTINGS])
        self._slots: dict[PageKey, PageSlot[Page]] = {
            slot.key: slot for slot in (self._services, self._intake, self._cases,
                                        self._settings)}
        self.pages.setCurrentWidget(self._services.get())

    def page(self, key: PageKey) -> Page:
        """The page for ``key``, built now if this is the first time it is needed."""
        return self._slots[key].get()

    @property
    def intake(self) -> IntakePage | UnavailablePage:
        """The 受理 page (built now if it was not yet)."""
        return self._intake.get()

    @property
    def built_intake(self) -> IntakePage | None:
        """The 受理 page if it was built and works (a card never builds it)."""
        page = self._intake.built
        return None if page is None or isinstance(page, UnavailablePage) else page

    @property
    def cases(self) -> CasesPage | UnavailablePage:
        """The 办件 page (built now if it was not yet)."""
        return self._cases.get()

    def _build_intake(self) -> IntakePage:
        from station_app.ui.intake import IntakePage

        page = IntakePage(self.ctx, printer=self._printer)
        page.submitted.connect(self._case_saved)
        page.done.connect(self.elder_button.next_resident)
        self.counter.attach_intake(page)
        return page

    @property
    def settings_page(self) -> SettingsPage:
        """The 设置 form (its page built now if this is the first time it is needed)."""
        from station_app.ui.settings_screen import SettingsScreen

        screen = self._settings.get()
        if not isinstance(screen, SettingsScreen):
            raise RuntimeError(f"设置页面无法打开：{screen.reason.text()}")
        return screen.form

    @property
    def first_run(self) -> FirstRunPage:
        """The first-run page (built now if this is the first time it is needed)."""
        if self._first_run is None:
            from station_app.ui.first_run import FirstRunPage

            page = FirstRunPage(self.ctx)
            page.finished.connect(self._first_run_done)
            self.frame.place_first_run(page)
            self._first_run = page
        return self._first_run

    def _build_settings(self) -> SettingsScreen:
        from station_app.ui.settings_page import SettingsPage
        from station_app.ui.settings_screen import SettingsScreen

        form = SettingsPage(self.ctx)
        form.saved.connect(self._settings_saved)
        screen = SettingsScreen(self.ctx, form)
        screen.set_admin(self._admin)
        return screen

    def _build_cases(self) -> CasesPage:
        from station_app.ui.cases import CasesPage

        page = CasesPage(self.ctx)
        page.openReceipt.connect(self.open_receipt)
        return page

    def _connect(self) -> None:
        self.nav.chosen.connect(self._nav_chosen)
        self.services.startIntake.connect(self.start_intake)
        self.elder_button.switched.connect(lambda _theme: self.poll_status())

    def poll_status(self) -> None:
        """Read the status bar's figures now (nothing to read while the station opens)."""
        if self._ctx is not None:
            self.poller.poll()

    # --- navigation -------------------------------------------------------------------
    def go_to(self, key: PageKey) -> None:
        """Show the page (building it the first time) and let it bring itself up to date."""
        page = self.page(key)
        self.nav.set_current(key)
        self.pages.setCurrentWidget(page)
        page.enter()

    def _nav_chosen(self, index: int) -> None:
        key = PageKey(index)
        if key is PageKey.SERVICES or self._ctx is not None:
            self.go_to(key)
        else:  # the station is still opening: go there once it is open
            self._pending = lambda: self.go_to(key)

    def start_intake(self, code: str) -> None:
        """Open the intake form of an item or bundle (the 事项 page asked for it)."""
        if self._ctx is None:  # the station is still opening: open the form once it is
            self._pending = lambda: self.start_intake(code)
            return
        self.go_to(PageKey.INTAKE)
        page = self.intake
        if not isinstance(page, UnavailablePage):
            page.start(code)

    def _case_saved(self, ref: str) -> None:
        log.info("案件已保存：%s", ref)
        self.poll_status()

    def open_receipt(self, ref: str) -> bool:
        """Reprint a receipt the 办件 page asked for, through the station's printer."""
        from station_app.ui.intake.qt_printer import QtPrinter
        from station_app.ui.receipt_action import reprint_receipt

        printer = self._printer or QtPrinter(self, self.ctx.settings.printer)
        return reprint_receipt(self, self.ctx, ref, printer)

    def take_over(self, on: bool) -> None:
        """The resident's view fills the window (no top bar, navigation or status bar)."""
        self.frame.take_over(on, self.status_bar)

    # --- theme, settings, first run ---------------------------------------------------
    def show_first_run(self, on: bool) -> None:
        if on:
            self.frame.show(self.first_run)
            self.first_run.focus_first()
        else:  # typing at once searches (the 事项 page is the first screen)
            self.frame.show(self.frame.work)
            self.services.search.setFocus()

    def use_theme(self, theme: Theme) -> None:
        """Switch the look without remembering it (screenshots, previews)."""
        self.elder_button.show_theme(theme)
        self.poll_status()

    def _settings_saved(self, settings: StationSettings) -> None:
        self.elder_button.show_theme(THEMES[settings.theme])
        self.counter.settings_changed(settings)
        self._update_title()
        self.poll_status()

    def _attach_sync(self, sync: SyncControl | None) -> None:
        self.sync = sync
        if sync is not None:
            self._bridge = SyncBridge(sync, self)
            self._bridge.notice.connect(lambda _notice: self.poll_status())
            self._bridge.notice.connect(self.status_bar.sync_notice)

    def _first_run_done(self, _settings: StationSettings) -> None:
        if self.sync is None and self._sync_factory is not None:
            self._attach_sync(self._sync_factory())  # just configured: start syncing now
        self.show_first_run(False)
        self._update_title()
        self.go_to(PageKey.SERVICES)
        self.poll_status()

    def _update_title(self) -> None:
        name = station_info(self.station_settings).name
        demo = self.tr("（演示）") if self._demo else ""
        self.title.setText(f"{name}{demo}")
        # The platform adds the application's display name (" — 红色驿站服务终端") itself.
        self.setWindowTitle(f"{name}{demo}")

    def _sync_now(self) -> bool:
        started = self.sync.sync_now() if self.sync is not None else False
        self.poll_status()
        return started

    def closeEvent(self, event: QCloseEvent) -> None:
        self.poller.stop()
        if self._counter is not None:
            self._counter.stop()
        if self.guard is not None:
            self.guard.stop()
        if self._bridge is not None:
            self._bridge.detach()
        for slot in self._slots.values():
            if slot.built is not None:  # a page never built has nothing to stop
                slot.built.shutdown()
        super().closeEvent(event)


def _apply_to_app(theme: Theme) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, theme)

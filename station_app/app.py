"""Composition root: logging -> error hooks -> lock -> station -> theme -> sync -> window.

Everything is built here once and passed down; no module keeps a global instance. A start-up
problem (corrupt database, bad settings, a second terminal on the same folder …) is told in
one Chinese dialog and the program exits non-zero, leaving every file as it was.

Every window is opened from here: the terminal (`run_gui`), demo mode (`run_demo`, on the
throwaway station `commands.demo_mode` prepares) and the screenshots (`take_screenshots`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from station_app.config import SettingsError, is_configured
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.errors import install_excepthooks
from station_app.i18n import install_translator
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.paths import site_config_dir
from station_app.rollout import RolloutError, apply_rollout, pending_rollout
from station_app.services.opening import read_opening
from station_app.services.search_cache import search_index
from station_app.services.unlock import is_secured
from station_app.signin_flow import (
    Authenticate,
    ask_operator,
    ask_restore,
    close_backup,
    first_start,
    open_for,
    opened_session,
)
from station_app.store.errors import StoreError, explain
from station_app.ui.main_window import MainWindow
from station_app.ui.read_aloud import ReadAloud
from station_app.ui.start_dialogs import APP_TITLE
from station_app.ui.station_opener import StationOpener, after_first_paint
from station_app.ui.window_state import show_remembered
from station_app.vault.keyfile import VaultError

if TYPE_CHECKING:  # loaded once the window shows: the data layer, the sync engine
    from station_app.services.context import StationContext
    from station_app.services.sessions import OperatorSession
    from station_app.services.sync_service import SyncService
    from station_app.ui.backup_timer import BackupTimer

log = logging.getLogger("station_app")


LOG_FILE = "station.log"
SYNC_STOP_WAIT_S = 5.0
CLOSING_WAIT_S = 120.0
"""How long a start waits for a terminal still closing on the same folder (its close backup
reads every page: seconds at 100,000 encrypted cases)."""
STARTUP_ERRORS = (StoreError, SettingsError, CatalogueInvalid, AlreadyRunning, RolloutError,
                  VaultError)


def configure_logging(data_dir: Path) -> list[logging.Handler]:
    """Rotating file in data_dir/logs plus stderr; returns the handlers to remove at exit."""
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = RotatingFileHandler(logs / LOG_FILE, maxBytes=2_000_000, backupCount=5,
                                       encoding="utf-8")
    err_handler = logging.StreamHandler(sys.stderr)
    err_handler.setLevel(logging.WARNING)
    handlers: list[logging.Handler] = [file_handler, err_handler]
    for h in handlers:
        h.setFormatter(fmt)
        log.addHandler(h)
    log.setLevel(logging.INFO)
    return handlers


def _qt_message(mode: QtMsgType, _context: Any, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(mode, logging.ERROR)
    logging.getLogger("station_app.qt").log(level, "%s", message)


class ErrorReporter(QObject):
    """Shows uncaught errors from any thread in one dialog on the GUI thread.

    `report` may be called from a worker thread: it only emits a signal, which a queued
    connection delivers to `_show` in the thread this object lives in (the GUI thread).
    """

    reported = Signal(str)

    def __init__(self, log_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_dir = log_dir
        self._showing = False
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, text: str) -> None:
        self.reported.emit(text)

    @Slot(str)
    def _show(self, text: str) -> None:
        if self._showing:  # one dialog at a time; the rest are in the log
            return
        self._showing = True
        try:
            QMessageBox.critical(
                None, self.tr("程序出错"),
                self.tr("程序遇到意外错误：{0}\n\n已保存的案件不受影响。详细记录已写入 {1}，"
                        "请联系区信息中心。").format(text, self._log_dir))
        finally:
            self._showing = False


def startup_message(exc: BaseException) -> str:
    """One Chinese explanation of why the terminal cannot start, and what to do."""
    if isinstance(exc, CatalogueInvalid):
        lines = [str(e) for e in exc.errors[:5]]
        more = f"\n……共 {len(exc.errors)} 处" if len(exc.errors) > 5 else ""
        return "事项目录有错误，终端未启动：\n" + "\n".join(lines) + more
    return str(exc)


def show_fatal(message: str) -> None:
    """The one start-up failure dialog (tests replace it)."""
    QMessageBox.critical(None, f"{APP_TITLE}无法启动", message)


def start_sync(ctx: StationContext) -> SyncService | None:
    """The running sync engine, or None (and a log line) while the station is not set up.

    A failure to start is logged and shown in the status bar, never fatal: cases are saved
    locally either way and go out once sync runs.
    """
    if not is_configured(ctx.settings, ctx.secret):
        log.info("未配置后台：案件只保存在本机")
        return None
    from station_app.services.sync_service import NotConfigured, SyncService

    try:
        service = SyncService.for_station(ctx)
        service.start()
    except NotConfigured:
        return None
    except Exception:
        log.exception("同步未能启动，案件只保存在本机")
        return None
    log.info("同步已启动：%s，每 %d 秒", ctx.settings.backend_url,
             ctx.settings.sync_interval_seconds)
    return service


def stop_sync(service: SyncService | None) -> None:
    """Stop the scheduler, waiting briefly for a run in flight (its outcome stays queued)."""
    if service is not None and not service.stop(wait_seconds=SYNC_STOP_WAIT_S):
        log.warning("同步仍在进行时退出；未确认的案件保留在待上报队列中")


def quit_on_signals(app: QApplication) -> tuple[QTimer, list[Any]]:
    """Ctrl+C / SIGTERM close the window normally (lock released, demo folder removed).

    Python runs signal handlers only between bytecodes, so a slow timer wakes it up while
    Qt's event loop is waiting.
    """
    wanted = [signal.SIGINT, signal.SIGTERM]
    previous = [signal.signal(s, lambda *_: app.quit()) for s in wanted]
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(500)
    return timer, list(zip(wanted, previous, strict=True))


def apply_pending_rollout(data_dir: Path, config_dir: Path) -> None:
    """Take a `station.toml` district IT dropped in before this start (mass roll-out)."""
    pending = pending_rollout(config_dir)
    if pending is not None:
        result = apply_rollout(data_dir, pending)
        log.info("%s", result.summary())
        if result.warning:
            log.warning("%s", result.warning)


def run_gui(data_dir: Path, demo: bool = False, argv: list[str] | None = None, *,
            rollout_dir: Path | None = None, authenticate: Authenticate = ask_operator,
            confirm: Callable[[str], bool] = ask_restore) -> int:
    """Open the terminal on `data_dir`; returns the process exit code.

    A pending roll-out file in `rollout_dir` (default: the machine-wide configuration folder;
    never in demo mode) is applied first, under the instance lock.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("red-station")
    app.setApplicationDisplayName(APP_TITLE)
    try:
        handlers = configure_logging(data_dir)
    except OSError as e:  # read-only, forbidden or full: said in the store's words
        show_fatal(f"无法使用数据文件夹 {data_dir}：{explain(e, data_dir)}"
                   "（也可用 --data-dir 指定其他位置）")
        return 1
    previous_handler = qInstallMessageHandler(_qt_message)
    previous_hooks = (sys.excepthook, threading.excepthook)
    reporter = ErrorReporter(data_dir / "logs")
    install_excepthooks(reporter.report)
    lock = InstanceLock(data_dir)
    locked = False
    ctx: StationContext | None = None
    session: OperatorSession | None = None
    syncs: list[SyncService] = []

    def sync_factory() -> SyncService | None:
        service = start_sync(ctx) if ctx is not None else None
        if service is not None:
            syncs.append(service)
        return service

    try:
        lock.acquire(wait_for_closing=CLOSING_WAIT_S)
        locked = True
        if not demo:
            apply_pending_rollout(data_dir, rollout_dir or site_config_dir())
        first: OperatorSession | None = None
        if demo or is_secured(data_dir):
            who = authenticate(data_dir, demo)
        else:  # a folder never secured is checked, then gets its first administrator
            first = first_start(data_dir, demo, authenticate, confirm)
            who = None if first is None else first.who
            if first is not None:  # closed at the end even if the window never opens
                session, ctx = first, first.ctx
        if who is None:
            log.info("未登录，终端未打开")
            return 0
        opening = read_opening(data_dir, who.label)
        translator = install_translator(app, opening.settings.language)
        window = MainWindow(opening, search_index(data_dir, opening.catalogue),
                            sync_factory=sync_factory, demo=demo)
        ReadAloud(window, rate=opening.settings.read_aloud_rate)  # 朗读 at the station's speed
        show_remembered(window, data_dir)
        timers: list[BackupTimer] = []

        def station_ready(result: object) -> None:
            """On the GUI thread, once the opener is done: attach, or say why not and stop."""
            nonlocal ctx, session
            try:
                opened = opened_session(result, data_dir, who, demo, authenticate, confirm)
            except STARTUP_ERRORS as e:
                _refuse(app, startup_message(e), e)
                return
            except OSError as e:
                _refuse(app, explain(e, data_dir), e)
                return
            if opened is None:
                app.exit(0)
                return
            from station_app.ui.backup_timer import BackupTimer

            session, ctx = opened, opened.ctx
            log.info("终端启动：%s（%s），%s 登录", data_dir, ctx.settings.station_id or "未配置",
                     opened.who.label)
            window.attach(ctx, session=opened, sync=sync_factory())
            timers.append(BackupTimer(ctx, window))

        opener = StationOpener(lambda: first or open_for(data_dir, who, opening))
        opener.finished.connect(station_ready)
        after_first_paint(window, opener.start)
        waker, previous_signals = quit_on_signals(app)
        try:
            code = app.exec()
        finally:
            waker.stop()
            for sig, handler in previous_signals:
                signal.signal(sig, handler)
        opener.wait()
        QApplication.sendPostedEvents()  # the opener's result, when the window closed first
        for timer in timers:
            timer.stop()
        window.close()
        del translator
        return code
    except STARTUP_ERRORS as e:
        log.error("无法启动：%s", e)
        show_fatal(startup_message(e))
        return 1
    except OSError as e:  # the lock file or the folder itself refused
        log.error("无法启动：%s", e)
        show_fatal(explain(e, data_dir))
        return 1
    finally:
        if locked:  # the window is gone: a terminal started now waits for the close work
            lock.closing()
        for service in syncs:
            stop_sync(service)
        if ctx is not None:
            verified = False
            if session is not None:
                verified = close_backup(ctx)
                session.signed_out()
            ctx.close(verified=verified)
        if locked:
            lock.release()
        sys.excepthook, threading.excepthook = previous_hooks
        qInstallMessageHandler(previous_handler)
        for h in handlers:
            log.removeHandler(h)
            h.close()


def _refuse(app: QApplication, message: str, error: BaseException) -> None:
    """The station cannot be opened after all: one dialog, and the program ends with 1."""
    log.error("无法启动：%s", error)
    show_fatal(message)
    app.exit(1)


def run_demo() -> int:
    """`station-app --demo`: the terminal on a throwaway station, with the district backend on
    loopback while the window is open (loaded only now); everything is deleted after."""
    from station_app.commands.demo_mode import demo_station

    with demo_station() as data_dir:
        return run_gui(data_dir, demo=True)


def take_screenshots(outdir: Path, *, data_dir: Path | None = None,
                     cases: int = 300) -> list[Path]:
    """Every screen in both looks as PNGs in ``outdir``, on Qt's offscreen platform unless an
    application is already running; on ``data_dir``, or on temporary demo data."""
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QApplication.instance() or QApplication(sys.argv[:1])  # alive until we return
    if data_dir is not None:
        return _shoot(data_dir, outdir, demo=False)
    from station_app.commands.demo_mode import prepare_station

    with tempfile.TemporaryDirectory(prefix="red-station-shots-") as tmp:
        prepare_station(Path(tmp) / "station", cases=cases)
        return _shoot(Path(tmp) / "station", outdir, demo=True)


def _shoot(data_dir: Path, outdir: Path, *, demo: bool) -> list[Path]:
    from station_app.services.context import open_station
    from station_app.ui.screenshots import take_screenshots as shoot_window

    ctx = open_station(data_dir)
    try:
        window = MainWindow(ctx, search_index(ctx.data_dir, ctx.catalogue), demo=demo)
        try:
            return shoot_window(window, outdir, sample=demo)
        finally:
            window.close()
            window.deleteLater()
    finally:
        ctx.close()

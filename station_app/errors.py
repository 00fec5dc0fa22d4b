"""The one error path: uncaught exceptions in any thread go to the log and to one handler.

The GUI installs a handler that shows a dialog; the CLI keeps the default (log + one line).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger("station_app")

Reporter = Callable[[str], None]


def install_excepthooks(report: Reporter | None = None) -> None:
    """Route sys.excepthook and threading.excepthook to logging and to `report`."""

    def _handle(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None, where: str) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("未处理的错误（%s）", where, exc_info=(exc_type, exc, tb))
        if report is not None:
            report(f"{exc_type.__name__}: {exc}")

    def _sys_hook(t: type[BaseException], e: BaseException, tb: TracebackType | None) -> None:
        _handle(t, e, tb, "主线程")

    def _thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread else "?"
        _handle(args.exc_type, args.exc_value, args.exc_traceback, f"线程 {name}")

    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook

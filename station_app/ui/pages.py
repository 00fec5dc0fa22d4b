"""The window's pages: which there are, what the window asks of each, and building each one
the first time it is needed.

Navigation is typed end to end: `PageKey` names a page, `Page` is the interface the window
calls (mypy refuses a page class that lacks `enter` or `shutdown`, so renaming one cannot
silently break navigation), and `PageSlot[P]` hands back the page as its own class, so the
window's calls on it (``start``, ``submitted`` …) are checked too.

A page is built on first use, which keeps start-up short; a page that cannot be built (a bug
in it, a module left out of a build) costs the worker that one page and not the terminal: it
becomes an `UnavailablePage` naming what is missing and what still works.
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Callable
from enum import IntEnum
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class PageKey(IntEnum):
    """The pages in navigation order: the index of a page's nav button and of its place in
    the window's stack (Alt+1 … Alt+4)."""

    SERVICES = 0
    INTAKE = 1
    CASES = 2
    SETTINGS = 3


class Page(QWidget):
    """A page of the window. The window calls these two methods and nothing else by name.

    Both are abstract (no default to fall back on), so a page that renames or drops one is
    refused by mypy where it is built rather than skipped at run time.
    """

    @abstractmethod
    def enter(self) -> None:
        """The worker navigated here: bring what is shown up to date, put the cursor in it."""

    @abstractmethod
    def shutdown(self) -> None:
        """The window is closing: keep what was typed, stop timers and threads."""


class UnavailablePage(Page):
    """Says in words which page is missing and why; never pretends to work."""

    def __init__(self, title: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        head = QLabel(title)
        head.setProperty("role", "heading")
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setProperty("role", "attention")
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(head)
        layout.addWidget(self.reason)
        layout.addStretch(1)

    def enter(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shutdown(self) -> None:
        """Nothing runs here."""


def _missing(title: str, what: str, e: ModuleNotFoundError) -> UnavailablePage:
    if e.name is not None and e.name.startswith("station_app."):
        log.warning("页面模块 %s 未随本版本提供", e.name)
    else:
        log.exception("%s依赖的模块缺失", what)
    text = QCoreApplication.translate(
        "Pages", "本版本未包含{0}（缺少模块 {1}）。其余功能不受影响，已保存的案件都在本机。")
    return UnavailablePage(title, text.format(what, e.name or "?"))


def _broken(title: str, what: str, e: Exception) -> UnavailablePage:
    log.exception("%s无法创建", what)
    text = QCoreApplication.translate(
        "Pages", "{0}暂时无法打开：{1}。详情已写入日志；其余功能不受影响，已保存的案件都在本机。")
    return UnavailablePage(title, text.format(what, f"{type(e).__name__}: {e}"))


P = TypeVar("P", bound=Page, covariant=True)


class PageSlot(Generic[P]):
    """The place of one page in the window's stack, filled by ``build()`` on first `get`.

    Slots are made in `PageKey` order; until its page is built a slot holds an empty
    placeholder, so the stack's indexes are the keys from the start.
    """

    def __init__(self, stack: QStackedWidget, key: PageKey, build: Callable[[], P], *,
                 title: str, what: str) -> None:
        if stack.count() != key:
            raise ValueError(f"page slots are made in PageKey order; {key!r} came out of turn")
        self.key = key
        self._stack = stack
        self._build = build
        self._title = title
        self._what = what
        self._page: P | UnavailablePage | None = None
        self._placeholder: QWidget | None = QWidget()
        stack.addWidget(self._placeholder)

    @property
    def built(self) -> P | UnavailablePage | None:
        """The page if it has been built; never builds it."""
        return self._page

    def get(self) -> P | UnavailablePage:
        """The page, built and put in its place now if this is the first time."""
        if self._page is None:
            page = self._page = self._make()
            self._stack.insertWidget(self.key, page)
            if self._placeholder is not None:
                self._stack.removeWidget(self._placeholder)
                self._placeholder.deleteLater()
                self._placeholder = None
        return self._page

    def _make(self) -> P | UnavailablePage:
        try:
            return self._build()
        except ModuleNotFoundError as e:
            return _missing(self._title, self._what, e)
        except Exception as e:  # a bug in one page must not stop the terminal
            return _broken(self._title, self._what, e)

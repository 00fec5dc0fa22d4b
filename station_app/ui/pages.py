"""Build the 受理 and 办件 pages, or an honest notice when a page cannot be built.

They are imported here, late, so that a broken or missing page module costs the worker that
one page and not the whole terminal: the notice names what is unavailable and what still works.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station_app.services.context import StationContext

log = logging.getLogger(__name__)


def _broken(title: str, what: str, e: Exception) -> UnavailablePage:
    text = QCoreApplication.translate(
        "Pages", "{0}暂时无法打开：{1}。详情已写入日志；其余功能不受影响，已保存的案件都在本机。")
    return UnavailablePage(title, text.format(what, f"{type(e).__name__}: {e}"))


class UnavailablePage(QWidget):
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


def _build(module: str, cls: str, ctx: StationContext, title: str, what: str) -> QWidget:
    try:
        page_type: Any = getattr(importlib.import_module(module), cls)
    except ModuleNotFoundError as e:
        if e.name is None or not module.startswith(e.name):
            log.exception("页面 %s 依赖的模块缺失", module)
        else:
            log.warning("页面模块 %s 未随本版本提供", module)
        text = QCoreApplication.translate(
            "Pages", "本版本未包含{0}（缺少模块 {1}）。其余功能不受影响，已保存的案件都在本机。")
        return UnavailablePage(title, text.format(what, e.name or module))
    except Exception as e:  # a bug in the page module must not stop the terminal
        log.exception("页面 %s 无法加载", module)
        return _broken(title, what, e)
    try:
        page: QWidget = page_type(ctx)
    except Exception as e:
        log.exception("页面 %s 无法创建", cls)
        return _broken(title, what, e)
    return page


def intake_page(ctx: StationContext) -> QWidget:
    """`IntakePage(ctx)`: has `start(code)` and a `submitted(str)` signal."""
    return _build("station_app.ui.intake", "IntakePage", ctx,
                  QCoreApplication.translate("Pages", "受理"),
                  QCoreApplication.translate("Pages", "受理页面"))


def cases_page(ctx: StationContext) -> QWidget:
    """`CasesPage(ctx)`: has `refresh()` and an `openReceipt(str)` signal."""
    return _build("station_app.ui.cases", "CasesPage", ctx,
                  QCoreApplication.translate("Pages", "办件"),
                  QCoreApplication.translate("Pages", "办件页面"))

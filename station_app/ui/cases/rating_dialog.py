"""好差评 at the counter: the resident picks one of five large buttons, then sees a thank-you.

The dialog faces the resident, so it is always large print and high contrast (the 长辈版
colours), whatever the worker's theme. Each choice is words plus a row of stars, never colour
alone. The thank-you stays until someone closes it: nothing on this screen changes by timer.
Storing is the page's job (``chosen`` -> ``show_thanks`` or ``show_error``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.lifecycle import Rating
from station_app.i18n import mark_data
from station_app.ui.theme import ELDER

CHOICE_SIZE = (156, 132)  # px; far above the 64x64 minimum, easy for an unsteady hand
TEXT_PX = 28
HEADING_PX = 38


def stars(rating: Rating) -> str:
    """★★★★☆ for 满意: the number of filled stars is the score."""
    return "★" * rating.score + "☆" * (5 - rating.score)


def _style() -> str:
    t = ELDER
    return f"""
QDialog {{ background: {t.window}; }}
QLabel {{ font-size: {TEXT_PX}px; color: {t.text}; background: {t.window}; }}
QLabel[role="heading"] {{ font-size: {HEADING_PX}px; font-weight: bold; }}
QLabel[role="error"] {{ color: {t.error}; }}
QPushButton {{ font-size: {TEXT_PX}px; color: {t.text}; background: {t.base};
    border: 3px solid {t.border}; border-radius: 10px; padding: 8px 20px;
    min-height: {t.target_px}px; min-width: {t.target_px}px; }}
QPushButton[role="rating"] {{ min-width: {CHOICE_SIZE[0]}px; min-height: {CHOICE_SIZE[1]}px; }}
QPushButton[role="primary"] {{ background: {t.primary}; color: {t.on_primary};
    border-color: {t.primary}; font-weight: bold; }}
QPushButton#closeButton {{ min-width: 220px; min-height: 88px; }}
QPushButton:focus {{ border: {t.focus_width + 2}px solid {t.focus}; outline: none; }}
QPushButton:pressed {{ background: {t.attention_bg}; color: {t.attention_text}; }}
"""


class RatingDialog(QDialog):
    """Five choices, 非常满意 … 非常不满意; emits ``chosen`` with the resident's choice."""

    chosen = Signal(Rating)

    def __init__(self, about: str, current: Rating | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("好差评"))
        self.setStyleSheet(_style())
        self.setModal(True)
        self.pages = QStackedWidget()
        self.buttons: dict[Rating, QPushButton] = {}
        self.pages.addWidget(self._ask_page(about, current))
        self.pages.addWidget(self._thanks_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.pages)

    def _ask_page(self, about: str, current: Rating | None) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        heading = QLabel(self.tr("请您为本次服务评价"))
        heading.setProperty("role", "heading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(heading)
        context = QLabel(about)
        mark_data(context)  # the case's item and applicant
        context.setWordWrap(True)
        context.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(context)
        if current is not None:
            again = QLabel(self.tr("已评价：{0}。可以重新选择。").format(current.label))
            mark_data(again)  # the rating's name is the domain's
            again.setAlignment(Qt.AlignmentFlag.AlignCenter)
            v.addWidget(again)
        row = QHBoxLayout()
        row.setSpacing(16)
        for rating in Rating:  # declared from 非常满意 down to 非常不满意
            button = QPushButton(f"{stars(rating)}\n{rating.label}")
            button.setProperty("role", "rating")
            mark_data(button)  # the rating's name is the domain's
            button.setAccessibleName(self.tr("{0}（{1} 分）").format(rating.label, rating.score))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, r=rating: self.choose(r))
            self.buttons[rating] = button
            row.addWidget(button)
        v.addLayout(row)
        self.cancel_button = QPushButton(self.tr("暂不评价"))
        self.cancel_button.setAccessibleName(self.tr("暂不评价，关闭"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.cancel_button)
        v.addLayout(bottom)
        self._first_focus = self.buttons[current or Rating.VERY_SATISFIED]
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.thanks = QLabel()
        self.thanks.setProperty("role", "heading")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary.setWordWrap(True)
        mark_data(self.summary)  # the rating's name, or the store's message
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setProperty("role", "primary")
        self.close_button.setObjectName("closeButton")
        self.close_button.setAccessibleName(self.tr("关闭评价窗口"))
        self.close_button.clicked.connect(self.accept)
        v.addStretch(1)
        v.addWidget(self.thanks)
        v.addWidget(self.summary)
        v.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        row.addStretch(1)
        v.addLayout(row)
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentIndex() == 0:
            self._first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, rating: Rating) -> None:
        """The resident's choice; the page stores it and answers with show_thanks/show_error."""
        for button in self.buttons.values():
            button.setEnabled(False)  # one press, one rating
        self.chosen.emit(rating)

    def show_thanks(self, rating: Rating) -> None:
        """Stays until closed: the resident reads at their own pace."""
        self.thanks.setText(self.tr("谢谢您的评价！"))
        self._set_role(self.summary, None)
        self.summary.setText(
            self.tr("您的评价：{0}　{1}\n已保存。").format(rating.label, stars(rating)))
        self._show_result()

    def show_error(self, message: str) -> None:
        """Storing failed: say so, and keep the choice for the worker to try again."""
        self.thanks.setText(self.tr("评价未能保存"))
        self._set_role(self.summary, "error")
        advice = self.tr("请关闭后重新评价；如仍失败，请联系区信息中心。")
        self.summary.setText(f"{message}\n{advice}")
        self._show_result()

    @staticmethod
    def _set_role(label: QLabel, role: str | None) -> None:
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)

    def _show_result(self) -> None:
        self.pages.setCurrentIndex(1)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

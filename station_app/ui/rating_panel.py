"""好差评 as the resident sees it: five large choices; after a 差评, why (four large choices
and optional words); then a thank-you, or what went wrong.

A plain widget with no dialog assumptions, so the same panel serves the counter dialog
(ui/cases/rating_dialog.py) and a resident's own screen. It faces the resident, so it is
always large print and high contrast (the 长辈版 colours, targets well over 60 px), and
every choice is words plus a shape (stars), never colour alone. Nothing changes by timer.
Storing is the owner's job: ``chosen`` -> ``show_thanks`` or ``show_error``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.feedback import MAX_WORDS, RatingReason
from station_app.domain.lifecycle import Rating
from station_app.i18n import mark_data
from station_app.ui.spaced_label import SpacedLabel
from station_app.ui.theme import ELDER

CHOICE_SIZE = (156, 132)  # px; far above the 60x60 minimum, easy for an unsteady hand
REASON_SIZE = (220, 96)
TEXT_PX = 28
HEADING_PX = 38
ASK, RESULT, REASON = 0, 1, 2  # pages of the stack


def stars(rating: Rating) -> str:
    """★★★★☆ for 满意: the number of filled stars is the score."""
    return "★" * rating.score + "☆" * (5 - rating.score)


def panel_style() -> str:
    t = ELDER
    return f"""
QLabel {{ font-size: {TEXT_PX}px; color: {t.text}; background: {t.window}; }}
QLabel[role="heading"] {{ font-size: {HEADING_PX}px; font-weight: bold; }}
QLabel[role="error"] {{ color: {t.error}; }}
QLineEdit {{ font-size: {TEXT_PX}px; color: {t.text}; background: {t.base};
    border: 3px solid {t.border}; border-radius: 8px; padding: 6px; min-height: {t.target_px}px; }}
QPushButton {{ font-size: {TEXT_PX}px; color: {t.text}; background: {t.base};
    border: 3px solid {t.border}; border-radius: 10px; padding: 8px 20px;
    min-height: {t.target_px}px; min-width: {t.target_px}px; }}
QPushButton[role="rating"] {{ min-width: {CHOICE_SIZE[0]}px; min-height: {CHOICE_SIZE[1]}px; }}
QPushButton[role="reason"] {{ min-width: {REASON_SIZE[0]}px; min-height: {REASON_SIZE[1]}px; }}
QPushButton[role="reason"]:checked {{ background: {t.primary}; color: {t.on_primary};
    border-color: {t.primary}; font-weight: bold; }}
QPushButton[role="primary"] {{ background: {t.primary}; color: {t.on_primary};
    border-color: {t.primary}; font-weight: bold; }}
QPushButton:disabled {{ color: {t.text}; background: {t.window}; border-style: dashed; }}
QPushButton#closeButton {{ min-width: 220px; min-height: 88px; }}
QPushButton:focus {{ border: {t.focus_width + 2}px solid {t.focus}; outline: none; }}
QPushButton:pressed {{ background: {t.attention_bg}; color: {t.attention_text}; }}
"""


def _heading(text: str) -> QLabel:
    label = SpacedLabel(text, look=ELDER)
    label.setProperty("role", "heading")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class RatingPanel(QWidget):
    """Emits ``chosen(level, reason or None, words)`` once per rating, ``cancelled`` when the
    resident does not want to rate; ``reset`` asks again (another case, another visit)."""

    chosen = Signal(object, object, str)  # Rating, RatingReason | None, words
    cancelled = Signal()

    def __init__(self, about: str = "", current: Rating | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPanel")
        self.setStyleSheet(panel_style()
                           + f"QWidget#ratingPanel {{ background: {ELDER.window}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.pages = QStackedWidget()
        self.buttons: dict[Rating, QPushButton] = {}
        self.reasons: dict[RatingReason, QPushButton] = {}
        self._level: Rating | None = None
        self.pages.addWidget(self._ask_page())
        self.pages.addWidget(self._result_page())
        self.pages.addWidget(self._reason_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.reset(about, current)

    # --- pages --------------------------------------------------------------------------
    def _ask_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(_heading(self.tr("请您为本次服务评价")))
        self.context = SpacedLabel(look=ELDER)
        self.again = SpacedLabel(look=ELDER)
        for label in (self.context, self.again):
            mark_data(label)  # the case's item and applicant; the rating's name
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            v.addWidget(label)
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
        self.cancel_button.clicked.connect(self.cancelled)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.cancel_button)
        v.addLayout(bottom)
        return page

    def _reason_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(_heading(self.tr("请告诉我们哪里做得不好")))
        self.reason_hint = SpacedLabel(self.tr("选一项原因，我们会在规定时间内回访整改。"),
                                       look=ELDER)
        self.reason_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.reason_hint)
        grid = QGridLayout()
        grid.setSpacing(16)
        self._reason_group = QButtonGroup(self)
        self._reason_group.setExclusive(True)
        for i, reason in enumerate(RatingReason):
            button = QPushButton(reason.label)
            button.setProperty("role", "reason")
            button.setCheckable(True)
            button.setAutoDefault(False)
            mark_data(button)  # the reason's name is the domain's
            button.setAccessibleName(self.tr("原因：{0}").format(reason.label))
            button.toggled.connect(self._reason_toggled)
            self._reason_group.addButton(button)
            self.reasons[reason] = button
            grid.addWidget(button, i // 2, i % 2)
        v.addLayout(grid)
        self.words = QLineEdit()
        self.words.setMaxLength(MAX_WORDS)
        self.words.setPlaceholderText(self.tr("还想说的话（可不填）"))
        self.words.setAccessibleName(self.tr("还想说的话，可不填"))
        v.addWidget(self.words)
        self.reason_error = SpacedLabel(look=ELDER)
        self.reason_error.setProperty("role", "error")
        self.reason_error.setWordWrap(True)
        self.reason_error.hide()
        v.addWidget(self.reason_error)
        self.back_button = QPushButton(self.tr("返回重选"))
        self.back_button.setAccessibleName(self.tr("返回，重新选择满意程度"))
        self.back_button.clicked.connect(lambda: self._show(ASK))
        self.submit_button = QPushButton(self.tr("提交评价"))
        self.submit_button.setProperty("role", "primary")
        self.submit_button.setAccessibleName(self.tr("提交评价"))
        self.submit_button.clicked.connect(self.submit_reason)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.submit_button)
        v.addLayout(row)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.thanks = _heading("")
        self.summary = SpacedLabel(look=ELDER)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary.setWordWrap(True)
        mark_data(self.summary)  # the rating's name, or the store's message
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setProperty("role", "primary")
        self.close_button.setObjectName("closeButton")
        self.close_button.setAccessibleName(self.tr("关闭评价窗口"))
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

    # --- what the owner calls -------------------------------------------------------------
    def reset(self, about: str, current: Rating | None = None) -> None:
        """Ask afresh: the five choices, nothing chosen, about this case."""
        self._level = None
        self.context.setText(about)
        self.context.setVisible(bool(about))
        self.again.setText(self.tr("已评价：{0}。可以重新选择。").format(current.label)
                           if current is not None else "")
        self.again.setVisible(current is not None)
        for button in self.buttons.values():
            button.setEnabled(True)
        self._clear_reason()
        self.first_focus = self.buttons[current or Rating.VERY_SATISFIED]
        self._show(ASK)

    def choose(self, rating: Rating) -> None:
        """A good rating is given at once; a 差评 asks why first."""
        self._level = rating
        if rating.is_negative:
            self._clear_reason()
            self._show(REASON)
            self.reasons[RatingReason.EFFICIENCY].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._emit(rating, None, "")

    def submit_reason(self) -> None:
        """A 差评 is sent only with its reason; without one it says so and waits."""
        reason = next((r for r, b in self.reasons.items() if b.isChecked()), None)
        if self._level is None:
            return
        if reason is None:
            self.reason_error.setText(self.tr("请先选择一项原因，再提交评价。"))
            self.reason_error.show()
            return
        self._emit(self._level, reason, self.words.text().strip())

    def show_thanks(self, rating: Rating, deadline: date | None = None) -> None:
        """Stays until closed: the resident reads at their own pace."""
        self.thanks.setText(self.tr("谢谢您的评价！"))
        self._set_role(self.summary, None)
        text = self.tr("您的评价：{0}　{1}\n已保存。").format(rating.label, stars(rating))
        if deadline is not None:
            text += "\n" + self.tr("我们会在 {0} 前回访您。").format(f"{deadline:%Y-%m-%d}")
        self.summary.setText(text)
        self._show_result()

    def show_error(self, message: str) -> None:
        """Storing failed: say so; the owner may ``reset`` to ask again."""
        self.thanks.setText(self.tr("评价未能保存"))
        self._set_role(self.summary, "error")
        advice = self.tr("请关闭后重新评价；如仍失败，请联系区信息中心。")
        self.summary.setText(f"{message}\n{advice}")
        self._show_result()

    # --- inside ---------------------------------------------------------------------------
    def _emit(self, level: Rating, reason: RatingReason | None, words: str) -> None:
        for button in (*self.buttons.values(), self.submit_button):
            button.setEnabled(False)  # one press, one rating
        self.chosen.emit(level, reason, words)

    def _clear_reason(self) -> None:
        self._reason_group.setExclusive(False)
        for button in self.reasons.values():
            button.setChecked(False)
        self._reason_group.setExclusive(True)
        self.words.clear()
        self.reason_error.hide()
        self.submit_button.setEnabled(False)

    def _reason_toggled(self) -> None:
        chosen = any(b.isChecked() for b in self.reasons.values())
        self.submit_button.setEnabled(chosen)
        if chosen:
            self.reason_error.hide()

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        if page == ASK and self.isVisible():
            self.first_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _set_role(label: QLabel, role: str | None) -> None:
        label.setProperty("role", role)
        label.style().unpolish(label)
        label.style().polish(label)

    def _show_result(self) -> None:
        self.pages.setCurrentIndex(RESULT)
        self.close_button.setFocus()

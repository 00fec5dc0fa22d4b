"""Layout of the form step: title and 读身份证, draft offer, the form, and beside it the
materials checklist with what still blocks saving; the step's buttons on a line under both
(the side column is too narrow for their words in 长辈版 and in English).

Reading order is top to bottom, then form before materials, then the buttons; the tab order
is rebuilt in that order whenever rows or materials come and go. Beside 打印一次性告知单, 朗读
(F9) reads the missing materials aloud, once the page is told where the notice comes from
(`set_notice_source`).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.documents import NoticeData
from station_app.i18n import mark_data
from station_app.services.read_aloud_texts import notice_speech
from station_app.ui.intake.field_base import set_role
from station_app.ui.intake.form_view import FormView
from station_app.ui.intake.materials_panel import MaterialsPanel
from station_app.ui.read_aloud import ReadAloudButton
from station_app.ui.spaced_label import SpacedLabel


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _button(text: str, role: str = "secondary") -> QPushButton:
    """A main button of the step (theme roles primary/secondary give the large targets)."""
    b = QPushButton(text)
    b.setAutoDefault(True)  # Enter presses the focused button, as Space does
    b.setProperty("role", role)
    return b


class FormPage(QWidget):
    """The widgets of the form step; `IntakePage` wires them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form_view: FormView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        head = QHBoxLayout()
        self.title = SpacedLabel()
        set_role(self.title, "heading")
        mark_data(self.title)  # "受理：" and the catalogue's title
        self.read_button = _button(self.tr("读身份证（F2）"))
        head.addWidget(self.title, 1)
        head.addWidget(self.read_button)
        layout.addLayout(head)

        self.banner = QFrame()
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(0, 0, 0, 0)
        self.banner_text = SpacedLabel()
        set_role(self.banner_text, "attention")
        self.restore_button = _button(self.tr("恢复上次未完成的受理"))
        self.discard_button = _button(self.tr("放弃草稿"))
        banner.addWidget(self.banner_text, 1)
        banner.addWidget(self.restore_button)
        banner.addWidget(self.discard_button)
        self.banner.hide()
        layout.addWidget(self.banner)

        self.note = SpacedLabel()
        set_role(self.note, "attention")
        mark_data(self.note)  # may carry a message of the card reader or the services
        self.note.hide()
        layout.addWidget(self.note)

        body = QHBoxLayout()
        body.setSpacing(16)
        self.form_scroll = _scroll(QWidget())
        self.materials = MaterialsPanel()
        self.materials_scroll = _scroll(self.materials)
        side = QVBoxLayout()  # materials, then what still blocks
        side.setSpacing(10)
        side.addWidget(self.materials_scroll, 1)
        self.blockers = SpacedLabel()
        side.addWidget(self.blockers)
        self.notice_button = _button(self.tr("打印一次性告知单"))
        self.submit_button = _button(self.tr("核对并提交（Ctrl+Enter）"), "primary")
        self.notice_source: Callable[[], NoticeData | None] | None = None
        self.read_aloud_button = ReadAloudButton(self._notice_speech)
        self.read_aloud_button.failed.connect(self.say)
        self.read_aloud_button.hide()  # until set_notice_source
        body.addWidget(self.form_scroll, 3)
        body.addLayout(side, 2)
        layout.addLayout(body, 1)
        # The step's buttons on a line of their own, under both columns: wide enough for
        # their words in 长辈版 and in English, where the side column is not.
        foot = QHBoxLayout()
        foot.addWidget(self.notice_button)
        foot.addWidget(self.read_aloud_button)
        foot.addStretch(1)
        foot.addWidget(self.submit_button)
        layout.addLayout(foot)

    def set_form(self, title: str, view: FormView) -> None:
        old = self.form_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.form_view = view
        self.form_scroll.setWidget(view)
        self.title.setText(self.tr("受理：{0}").format(title))

    def set_notice_source(self, source: Callable[[], NoticeData | None] | None) -> None:
        """Where the 一次性告知单 comes from (the intake session); 朗读 shows once it is known."""
        self.notice_source = source
        self.read_aloud_button.setVisible(source is not None)

    def _notice_speech(self) -> str | None:
        notice = self.notice_source() if self.notice_source else None
        return notice_speech(notice) if notice else None

    def offer_draft(self, text: str | None) -> None:
        """Offer to resume an unfinished intake, or take the offer away."""
        self.banner_text.setText(text or "")
        self.banner.setVisible(bool(text))
        if text:
            self.restore_button.setFocus()
        self.fix_tab_order()

    def say(self, text: str | None) -> None:
        """A line of news for the worker (card read, notice printed); stays until replaced."""
        self.note.setText(text or "")
        self.note.setVisible(bool(text))

    def show_blockers(self, reasons: list[str], can_submit: bool, missing: bool) -> None:
        if reasons:
            self.blockers.setText(self.tr("✖ 还不能提交：{0}").format("；".join(reasons)))
            set_role(self.blockers, "error")
        else:
            self.blockers.setText(self.tr("✔ 信息齐全，材料已收，可以核对提交"))
            set_role(self.blockers, "ok")
        mark_data(self.blockers, bool(reasons))  # the reasons are the services' words
        self.submit_button.setEnabled(can_submit)
        self.submit_button.setAccessibleDescription("；".join(reasons))
        self.notice_button.setEnabled(missing)
        self.read_aloud_button.setEnabled(missing)

    def reading_order(self) -> list[QWidget]:
        """Every focusable widget of this step, top to bottom, form before materials."""
        fields = self.form_view.all_inputs() if self.form_view is not None else []
        return [self.read_button, self.restore_button, self.discard_button, *fields,
                *self.materials.inputs(), self.notice_button, self.read_aloud_button,
                self.submit_button]

    def fix_tab_order(self) -> None:
        chain = self.reading_order()
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)

    def focus_material(self, name: str) -> None:
        box = self.materials.box(name)
        box.setFocus()
        self.materials_scroll.ensureWidgetVisible(box)

    def ensure_focus_visible(self) -> None:
        w = QApplication.focusWidget()
        if w is not None and self.form_scroll.isAncestorOf(w):
            self.form_scroll.ensureWidgetVisible(w)

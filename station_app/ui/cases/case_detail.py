"""The detail panel of one case: who, what, where it stands, its history and what to do next.

It shows a :class:`CaseRecord` as loaded by the service; it never queries by itself. A case
that needs attention says so in words (⚠ 需处理, the reason, the next step), not only by colour.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_app.i18n import mark_data
from station_app.services.case_list import ATTENTION_MARK
from station_app.services.case_record import CaseRecord
from station_app.ui.spaced_label import SpacedLabel


def _label(role: str | None = None) -> QLabel:
    label = SpacedLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


class _TallEnough(QWidget):
    """The scrolled body: at least as tall as its wrapped lines need at its width.

    A scroll area sizes its widget from the size hint, which is computed for the hint's own
    width; narrower, a wrapping label then gets too few lines and its last one is cut off.
    """

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            need = layout.totalHeightForWidth(self.width())
            if need != self.minimumHeight():
                self.setMinimumHeight(need)


class CaseDetailPanel(QWidget):
    """Shows one case; asks the page to reprint its receipt or to collect a rating."""

    reprintRequested = Signal(str)  # tracking ref
    rateRequested = Signal(str)  # submission id
    closeFollowUpRequested = Signal(str)  # submission id (administrators only)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: CaseRecord | None = None
        self.title = _label("heading")
        self.attention = _label("attention")
        self.next_step = _label("muted")
        for label in (self.title, self.attention, self.next_step):
            mark_data(label)  # the case's item, its state and what the services advise
        self.fields: dict[str, QLabel] = {}
        self.history = QListWidget()
        self.history.setAccessibleName(self.tr("办理经过"))
        self.history.setWordWrap(True)
        self.history.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setResizeMode(QListWidget.ResizeMode.Adjust)  # lines wrap to its width
        self.history.setMinimumHeight(self.history.fontMetrics().height() * 6)
        self.reprint_button = QPushButton(self.tr("重新打印回执"))
        self.rate_button = QPushButton(self.tr("好差评"))
        self.followup_button = QPushButton(self.tr("办结回访"))
        self.admin_only = _label("muted")
        self.admin_only.setText(self.tr("差评回访仅限管理员办结：请管理员点“锁定 / 切换用户”"
                                        "登录后办结。"))
        self._admin = True
        for button, name in ((self.reprint_button, self.tr("重新打印这件办件的回执")),
                             (self.rate_button, self.tr("请申请人为本次服务评价")),
                             (self.followup_button, self.tr("填写差评的回访情况并办结"))):
            button.setProperty("role", "primary")
            button.setAccessibleName(name)
            button.setToolTip(name)
        self._layout()
        self.reprint_button.clicked.connect(self._reprint)
        self.rate_button.clicked.connect(self._rate)
        self.followup_button.clicked.connect(self._close_followup)
        self.show_record(None)

    def _layout(self) -> None:
        form_box = QWidget()
        form = QGridLayout(form_box)  # unlike a form layout, a grid gives wrapped lines room
        form.setContentsMargins(0, 0, 0, 0)
        form.setColumnStretch(1, 1)
        for row, (key, text) in enumerate((
                ("applicant", self.tr("申请人")), ("applicant_id", self.tr("身份证号")),
                ("tracking_ref", self.tr("受理编号")), ("receipt_no", self.tr("回执号")),
                ("created", self.tr("受理时间")), ("promised", self.tr("承诺办结")),
                ("status", self.tr("当前状态")), ("sync", self.tr("上报")),
                ("rating", self.tr("好差评", "the resident's rating of the case")),
                ("followup", self.tr("差评回访")))):
            self.fields[key] = _label()
            self.fields[key].setAccessibleName(text)
            mark_data(self.fields[key])  # the case's own details
            caption = QLabel(self.tr("{0}：").format(text))
            caption.setBuddy(self.fields[key])
            form.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(self.fields[key], row, 1)
        history_box = QWidget()
        hv = QVBoxLayout(history_box)
        hv.setContentsMargins(0, 0, 0, 0)
        history_head = QLabel(self.tr("办理经过"))
        history_head.setProperty("role", "heading")
        history_head.setBuddy(self.history)
        hv.addWidget(history_head)
        hv.addWidget(self.history, 1)
        self._columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._columns.addWidget(form_box, 1)
        self._columns.addWidget(history_box, 1)
        body = _TallEnough()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 8, 0)
        v.addWidget(self.title)
        v.addWidget(self.attention)
        v.addWidget(self.next_step)
        v.addWidget(self.admin_only)
        v.addLayout(self._columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._buttons.addWidget(self.reprint_button)
        self._buttons.addWidget(self.rate_button)
        self._buttons.addWidget(self.followup_button)
        self._buttons.addStretch(1)
        self._outer = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.addWidget(scroll, 1)
        self._outer.addLayout(self._buttons)
        QWidget.setTabOrder(self.history, self.reprint_button)
        QWidget.setTabOrder(self.reprint_button, self.rate_button)
        QWidget.setTabOrder(self.rate_button, self.followup_button)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.history.setMinimumHeight(self.history.fontMetrics().height() * 6)
        super().changeEvent(event)

    def set_wide(self, wide: bool) -> None:
        """Below the list the panel is wide and low: facts, history and buttons side by side,
        so that no height is spent on a row of buttons."""
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self._columns.setDirection(across if wide else down)
        self._outer.setDirection(across if wide else down)
        self._buttons.setDirection(down if wide else across)

    def set_admin(self, admin: bool) -> None:
        """Closing a follow-up is for administrators; others see the button disabled, and
        why."""
        self._admin = admin
        self._show_followup_action()

    def _show_followup_action(self) -> None:
        open_one = self.record is not None and self.record.followup_open
        self.followup_button.setVisible(open_one)
        self.followup_button.setEnabled(open_one and self._admin)
        self.followup_button.setToolTip(self.followup_button.accessibleName() if self._admin
                                        else self.admin_only.text())
        self.admin_only.setVisible(open_one and not self._admin)

    def show_record(self, record: CaseRecord | None) -> None:
        """Show a case, or the hint to choose one."""
        self.record = record
        self.reprint_button.setEnabled(record is not None)
        self.rate_button.setEnabled(record is not None)
        self._show_followup_action()
        self.history.clear()
        if record is None:
            self.title.setText(self.tr("在列表中选择一件办件，这里显示它的详情和办理经过。"))
            self.title.setProperty("role", "muted")
            for label in self.fields.values():
                label.clear()
            self.attention.hide()
            self.next_step.hide()
            self._restyle(self.title)
            return
        self.title.setText(record.title)
        self.title.setProperty("role", "heading")
        self._restyle(self.title)
        if record.attention:
            reason = record.attention_reason or self.tr("请查看办理经过")
            self.attention.setText(self.tr("{0}：{1}").format(ATTENTION_MARK, reason) + "\n"
                                   + self.tr("下一步：") + (record.next_step or ""))
            self.attention.setAccessibleName(self.attention.text())
        else:
            text = record.next_step or ""
            if record.attention_reason:
                text = f"{record.attention_reason}\n{text}"
            self.next_step.setText(text)
        self.attention.setVisible(record.attention)
        self.next_step.setVisible(not record.attention and bool(self.next_step.text()))
        self._fill_fields(record)
        for h in record.history:
            note = f"\n{h.note}" if h.note else ""
            line = f"{h.at:%Y-%m-%d %H:%M}　{h.status}（{h.source}）{note}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line)
            self.history.addItem(item)

    def _fill_fields(self, r: CaseRecord) -> None:
        rating = (self.tr("{0}（{1} 分）").format(r.rating.label, r.rating.score) if r.rating
                  else self.tr("尚未评价"))
        if r.rating_reason is not None:
            rating += self.tr("，原因：{0}").format(r.rating_reason.label)
        if r.ratings_count > 1:
            rating += self.tr("（共评价 {0} 次）").format(r.ratings_count)
        if r.followup_open:
            followup = (self.tr("待回访，期限 {0}").format(f"{r.followup_deadline:%Y-%m-%d}")
                        if r.followup_deadline else self.tr("待回访，期限待定"))
        else:
            followup = self.tr("无")
        values = {
            "applicant": r.applicant, "applicant_id": r.applicant_id,
            "tracking_ref": r.tracking_ref,
            "receipt_no": r.receipt_no or self.tr("上报区后台后返回"),
            "created": f"{r.created:%Y-%m-%d %H:%M}",
            "promised": f"{r.promised_date:%Y-%m-%d}" if r.promised_date
            else self.tr("以承办部门答复为准"),
            "status": r.status_text, "sync": r.sync_label, "rating": rating,
            "followup": followup,
        }
        for key, value in values.items():
            self.fields[key].setText(value)

    @staticmethod
    def _restyle(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    def _reprint(self) -> None:
        if self.record is not None:
            self.reprintRequested.emit(self.record.tracking_ref)

    def _close_followup(self) -> None:
        if self.record is not None and self.record.followup_open:
            self.closeFollowUpRequested.emit(self.record.id)

    def _rate(self) -> None:
        if self.record is not None:
            self.rateRequested.emit(self.record.id)

"""一键填写: the usual outcome of a decision the worker makes (认证方式 and 认证结果 of a
退休年审 done at the counter) given with one press, then on to 核对.

Nothing is pre-selected where the worker must decide; this row only makes the usual decision
quick. It sits just above the first field it answers, so the worker sees what it fills.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from station_app.i18n import mark_data


class QuickAnswerBar(QWidget):
    """Signals ``chosen(answers)`` with the form's field keys and options of the press."""

    chosen = Signal(dict)

    def __init__(self, answers: list[dict[str, object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("一键填写并核对：")))
        self.buttons: list[QPushButton] = []
        for answer in answers:
            text = " · ".join(str(v) for v in answer.values())  # the options, as printed
            button = QPushButton(text)
            button.setProperty("role", "secondary")
            button.setAccessibleName(self.tr("一键填写并核对：{0}").format(text))
            mark_data(button)  # catalogue options: shown as the district wrote them
            button.clicked.connect(lambda _=False, a=answer: self.chosen.emit(dict(a)))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)

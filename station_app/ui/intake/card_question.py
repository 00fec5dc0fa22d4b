"""Another person's card on a half-filled form: ask before replacing anything.

A banner above the form, not a modal dialog: the worker may finish talking to the resident
first, and the typed data stays visible underneath until they choose.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from station_app.domain.id_card_data import IdCardData
from station_app.i18n import mark_data
from station_app.ui.intake.field_base import set_role
from station_app.ui.spaced_label import SpacedLabel


class CardQuestion(QFrame):
    """Signals ``replace(card)`` when the worker chooses the new card's data."""

    replace = Signal(IdCardData)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardQuestion")
        self._card: IdCardData | None = None
        self.text = SpacedLabel()
        mark_data(self.text)  # names the two residents
        set_role(self.text, "attention")
        self.replace_button = QPushButton(self.tr("换成新读的身份证资料"))
        self.keep_button = QPushButton(self.tr("保留表上的资料"))
        self.replace_button.clicked.connect(self._replace)
        self.keep_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.replace_button)
        row.addWidget(self.keep_button)
        self.hide()

    def ask(self, card: IdCardData, other: str) -> None:
        self._card = card
        question = self.tr("表上已填了 {0} 的资料，读到的是 {1} 的身份证。"
                           "要换成 {1} 的资料吗？（原填写内容会清空）")
        self.text.setText(question.format(other, card.name or card.id_number[-4:]))
        self.show()
        self.keep_button.setFocus()

    def clear(self) -> None:
        self._card = None
        self.hide()

    def _replace(self) -> None:
        card, self._card = self._card, None
        self.hide()
        if card is not None:
            self.replace.emit(card)

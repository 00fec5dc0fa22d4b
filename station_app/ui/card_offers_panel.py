"""The 事项 page's answer to a card placed: what this resident is most likely here for.

One button per annual review due (it opens that item's form already filled from the card)
and one per open case (it opens the case in 办件). The worker still may search for anything
else; the panel goes away when they close it, start an intake, or the next card comes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.id_card_data import IdCardData
from station_app.i18n import mark_data
from station_app.ui.intake.field_base import set_role

if TYPE_CHECKING:  # the 事项 page is built before the data layer is loaded
    from station_app.services.card_offers import CardOffers, Offer


class CardOffersPanel(QFrame):
    """Signals ``start_item(code, card)`` and ``open_case(tracking_ref)``."""

    start_item = Signal(str, IdCardData)
    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardOffers")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # never squeezed below its text: the list under it gives way instead
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._card: IdCardData | None = None
        self.heading = QLabel()
        set_role(self.heading, "heading")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        set_role(self.warning, "attention")
        for label in (self.heading, self.warning):
            mark_data(label)  # the resident's name and the services' words
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAccessibleName(self.tr("关闭读卡推荐"))
        self.close_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.close_button)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addLayout(self.rows)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_offers(self, card: IdCardData, offers: CardOffers) -> None:
        """Replace what is shown with the offers for this card; the first one has focus."""
        self._clear_rows()
        self._card = card
        self.heading.setText(offers.heading)
        self.warning.setText(offers.warning or "")
        self.warning.setVisible(bool(offers.warning))
        if offers.reviews:
            self._section(self.tr("可能要办（按年龄到期的年审）："))
        for offer in offers.reviews:
            self._button(offer, lambda _=False, c=offer.code: self._start(c))
        if offers.open_cases:
            self._section(self.tr("在办的事项："))
        for offer in offers.open_cases:
            self._button(offer, lambda _=False, r=offer.tracking_ref: self.open_case.emit(r))
        if not offers.reviews and not offers.open_cases:
            self._section(self.tr("没有到期的年审，也没有在办的事项：请在下方查找要办的事项。"))
        self.show()
        if self.buttons:
            self.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self._clear_rows()
        self._card = None
        self.hide()

    def _start(self, code: str | None) -> None:
        card = self._card
        if code is not None and card is not None:
            self.clear()
            self.start_item.emit(code, card)

    def _section(self, text: str) -> None:
        label = QLabel(text)
        set_role(label, "muted")
        self.rows.addWidget(label)

    def _button(self, offer: Offer, slot: object) -> None:
        detail = offer.why
        if offer.done_on is not None:
            detail += self.tr("（本年度已于 {0} 办理）").format(offer.done_on.strftime("%m月%d日"))
        if offer.tracking_ref is not None:
            detail += f"　{offer.tracking_ref}"
        button = QPushButton(f"{offer.title}\n{detail}")  # two lines: fits in 长辈版 too
        button.setStyleSheet("text-align: left; padding-left: 16px;")
        mark_data(button)  # item names and the case's reference
        button.setProperty("role", "primary" if offer.done_on is None and offer.code else None)
        button.setAutoDefault(True)
        button.clicked.connect(slot)
        self.buttons.append(button)
        self.rows.addWidget(button)

    def _clear_rows(self) -> None:
        self.buttons.clear()
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()

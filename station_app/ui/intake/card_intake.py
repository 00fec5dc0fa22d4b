"""A card arriving at the intake page: fill the form, or ask first, or start the next resident.

The page's own job is the form; this object decides what a card means for it at each step:
on the form, fill it (asking first when the form holds another person's data); on the receipt
of the last resident, start the next one (a 年审 queue); during 核对, nothing (the resident is
checking what is on screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from station_app.domain.id_card_data import IdCardData
from station_app.services.card_watch import CardNotice
from station_app.services.intake_session import IntakeSession
from station_app.ui.intake import devices
from station_app.ui.intake.card_question import CardQuestion

if TYPE_CHECKING:
    from station_app.ui.intake.intake_page import IntakePage


class CardIntake(QObject):
    """Owns the "another person's card" question shown above the form."""

    def __init__(self, page: IntakePage) -> None:
        super().__init__(page)
        self.page = page
        self.question = CardQuestion()
        self.question.replace.connect(self._replace)

    def take(self, notice: CardNotice) -> bool:
        """True when the card's data went into the form."""
        page = self.page
        if page.session is not None and notice.card is not None \
                and page.stack.currentWidget() is page.receipt_view:
            page.next_case()
        s = page.session
        if s is None or page.stack.currentWidget() is not page.form_page:
            return False
        if notice.card is None:
            page.form_page.say(notice.text)
            return False
        other = s.other_person(notice.card)
        if other is not None:
            self.question.ask(notice.card, other)
            return False
        self._fill(notice.card)
        return True

    def _replace(self, card: IdCardData) -> None:
        """The worker chose the new card over another person's half-filled form."""
        s = self.page.session
        if s is not None:
            s.discard_draft()
            self.page.open_session(IntakeSession(self.page.ctx, s.code))
            self._fill(card)

    def _fill(self, card: IdCardData) -> None:
        page = self.page
        assert page.session is not None
        self.question.clear()
        page.fill_from_card(card)
        page.form_page.say(devices.filled_message(card, page.session.today()))

"""An unfinished intake of the same item, offered when a new one opens.

A worker interrupted (a phone call, a resident fetching a document) finds their half-filled
form again: the banner offers to continue it or to throw it away; typing on without choosing
keeps both (the new form autosaves as its own draft).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from station_app.domain.china_time import CHINA_TZ
from station_app.services.intake import discard
from station_app.services.intake_session import DraftOffer, IntakeSession, pending_draft

if TYPE_CHECKING:
    from station_app.ui.intake.intake_page import IntakePage


class DraftOffers(QObject):
    """The draft on offer for the page's current item, if any."""

    def __init__(self, page: IntakePage) -> None:
        super().__init__(page)
        self.page = page
        self.offered: DraftOffer | None = None

    def offer(self, code: str) -> None:
        """After a new form of ``code`` opened: offer its newest unfinished draft."""
        page = self.page
        self.offered = pending_draft(page.ctx, code)
        if self.offered is not None:
            at = self.offered.saved_at.astimezone(CHINA_TZ).strftime(
                self.tr("%m月%d日 %H:%M", "strftime format of when the draft was last saved"))
            page.form_page.offer_draft(
                self.tr("有一份上次未完成的受理（{0}），可以恢复后继续办理。").format(at))
        else:
            page.form_page.offer_draft(None)
            page.form_view.focus_path(page.form_view.form.fields[0].key)

    def restore(self) -> bool:
        """Continue the offered draft; what was typed before choosing is dropped."""
        page = self.page
        draft, session = self.offered, page.session
        if draft is None or session is None:
            return False
        session.discard_draft()
        page.open_session(IntakeSession(page.ctx, session.code, draft))
        self.offered = None
        page.form_page.offer_draft(None)
        page.form_page.say(self.tr("已恢复上次未完成的受理，请继续填写。"))
        return True

    def discard(self) -> None:
        page = self.page
        if self.offered is not None:
            discard(page.ctx, self.offered.id)
        self.offered = None
        page.form_page.offer_draft(None)
        page.form_view.focus_path(page.form_view.form.fields[0].key)

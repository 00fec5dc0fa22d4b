"""The intake page and the resident's view, working as one counter.

When the worker opens 核对, the resident sees their own data (ID number in full) and
confirms with a touch; that saves the case, prints the receipt at once (the worker need not
press anything) and asks for 好差评. 返回修改 on either side takes both back to the form. The
worker's own 核对 page stays masked, and its 确认 button still works for a resident who
cannot use the screen (代确认).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.domain.masking import mask_name
from station_app.services.context import StationContext
from station_app.services.ratings import RatingRefused, rate_case
from station_app.services.storage_errors import StorageFailed
from station_app.ui.intake.intake_page import IntakePage
from station_app.ui.rating_panel import RatingPanel
from station_app.ui.resident.desk import ResidentDesk

log = logging.getLogger(__name__)


class IntakeLink(QObject):
    """Connects one intake page to the resident desk (see the module docstring)."""

    def __init__(self, ctx: StationContext, intake: IntakePage, desk: ResidentDesk,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.intake = intake
        self.desk = desk
        self.rating: RatingPanel | None = None
        self._rated_case: str | None = None
        intake.confirming.connect(self._confirming)
        intake.returned.connect(self._returned)
        intake.submitted.connect(self._saved)
        desk.view.confirmed.connect(self._resident_confirmed)
        desk.view.back.connect(intake.back_to_form)
        desk.view.rated.connect(self._rated)

    def _confirming(self) -> None:
        session = self.intake.session
        if session is None:
            return
        self.desk.show_confirmation(session.confirmation(full_id=True))
        if self.desk.on_own_screen:
            self.intake.confirm_view.heading.setText(QCoreApplication.translate(
                "IntakeLink", "请居民在服务屏上核对并确认（居民不便操作时，可由您代为确认）"))

    def _returned(self) -> None:
        if self.desk.view.showing == "confirm":
            self.desk.show_idle()

    def _resident_confirmed(self) -> None:
        self.desk.view.confirm.confirm_button.setEnabled(False)
        case = self.intake.confirm()
        if case is None:  # not saved: the worker's page says why; the resident may retry
            self.desk.view.confirm_failed(self.intake.confirm_view.error.text()
                                          or QCoreApplication.translate(
                                              "IntakeLink", "未能保存，请稍候再按确认"))
            return
        self.intake.receipt_view.print_receipt()

    def _saved(self, _ref: str) -> None:
        session = self.intake.session
        if session is None or session.submitted is None:
            return
        case = session.submitted
        name = mask_name(str(session.values.get("name") or ""))
        about = f"{case.receipt.title}　{name}".strip()
        self._rated_case = case.id
        self.rating = self.desk.show_rating(about)

    def _rated(self, level: Rating, reason: RatingReason | None, words: str) -> None:
        panel, case = self.rating, self._rated_case
        if panel is None or case is None:
            return
        try:
            saved = rate_case(self.ctx, case, level, reason, words)
        except (StorageFailed, RatingRefused) as e:
            log.error("好差评未能保存：%s", e)
            panel.show_error(str(e))
            return
        panel.show_thanks(level, saved.deadline if saved else None)

"""好差评 on the 办件 page: open the rating dialog for the chosen case and store the choice;
open the close-follow-up dialog for an administrator and store the callback notes.

Kept apart from the page (cases_page.py) so each stays one job: the page lists and shows
cases, this drives the two dialogs and calls the services; the page is told ``changed``
to show the case afresh (its rating, its follow-up, its place under ⚠).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import Rating
from station_app.services.case_record import CaseRecord
from station_app.services.context import StationContext
from station_app.services.ratings import RatingRefused, close_case_followup, rate_case
from station_app.services.storage_errors import StorageFailed
from station_app.ui.cases.followup_dialog import FollowUpDialog
from station_app.ui.cases.rating_dialog import RatingDialog

log = logging.getLogger(__name__)


class RatingFlow(QObject):
    """The dialogs of one page; ``changed(submission_id)`` after anything was stored."""

    changed = Signal(str)
    finished = Signal()  # a dialog closed: the page puts the focus back

    def __init__(self, ctx: StationContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx = ctx
        self._window = window
        self.dialog: RatingDialog | None = None
        self.followup_dialog: FollowUpDialog | None = None

    def ask(self, record: CaseRecord) -> None:
        """The counter-facing rating dialog for this case (the worker asked for it)."""
        dialog = RatingDialog(f"{record.title}　{record.applicant}", record.rating, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda level, reason, words: self._store(
            dialog, record.id, level, reason, words))
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _store(self, dialog: RatingDialog, submission_id: str, level: Rating,
               reason: RatingReason | None, words: str) -> None:
        try:
            saved = rate_case(self.ctx, submission_id, level, reason, words)
        except (StorageFailed, RatingRefused) as e:
            log.error("好差评未能保存：%s", e)
            dialog.show_error(str(e))
            return
        if saved is None:
            dialog.show_error(self.tr("这件办件已不在本机，评价未保存。"))
            return
        dialog.show_thanks(level, saved.deadline)
        self.changed.emit(submission_id)

    def _closed(self, dialog: RatingDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.finished.emit()

    def close_followup(self, record: CaseRecord) -> None:
        """An administrator closes the case's open follow-up with the callback notes."""
        rating_id = record.followup_rating_id
        if rating_id is None:
            return
        reason = record.rating_reason.label if record.rating_reason else ""
        about = self.tr("{0}　{1}　差评原因：{2}").format(record.tracking_ref, record.applicant,
                                                     reason or self.tr("未填写"))
        dialog = FollowUpDialog(about, record.followup_deadline, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda notes: self._close(dialog, record.id, rating_id, notes))
        dialog.finished.connect(lambda _code: self._followup_closed(dialog))
        self.followup_dialog = dialog
        dialog.open()

    def _close(self, dialog: FollowUpDialog, submission_id: str, rating_id: str,
               notes: str) -> None:
        try:
            closed = close_case_followup(self.ctx, rating_id, notes)
        except (StorageFailed, RatingRefused) as e:
            dialog.show_error(str(e))
            return
        if not closed:
            dialog.show_error(self.tr("这条回访已办结或已不在本机。"))
            return
        self.changed.emit(submission_id)
        dialog.accept()

    def _followup_closed(self, dialog: FollowUpDialog) -> None:
        if self.followup_dialog is dialog:
            self.followup_dialog = None
        self.finished.emit()

"""受理: fill the form of an item or bundle, check materials, 核对 with the resident, save, 回执.

The page is the glue between widgets and `IntakeSession`: it forwards edits, asks the session
(hence the services) what to show, and moves between its three steps. It never decides
whether something is valid, required or missing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from station_app.printing.output import Printer
from station_app.printing.paper import Paper
from station_app.services.attachments import store_attachment
from station_app.services.card_watch import CardNotice
from station_app.services.context import StationContext
from station_app.services.id_card import IdCardData
from station_app.services.intake import IntakeRefused
from station_app.services.intake_defaults import quick_answers
from station_app.services.intake_session import (
    MATERIAL_PREFIX,
    MATERIALS_NAMED,
    IntakeSession,
    SavedCase,
)
from station_app.services.receipts import record_printed
from station_app.services.storage_errors import StorageFailed
from station_app.ui.domain_words import blocker_lines
from station_app.ui.intake import devices
from station_app.ui.intake.card_intake import CardIntake
from station_app.ui.intake.confirm_dialog import ConfirmView
from station_app.ui.intake.draft_offers import DraftOffers
from station_app.ui.intake.form_page import FormPage
from station_app.ui.intake.form_view import FormView
from station_app.ui.intake.page_note import PageNote, Until
from station_app.ui.intake.qt_printer import QtPrinter
from station_app.ui.intake.receipt_view import ReceiptView
from station_app.ui.pages import Page

log = logging.getLogger(__name__)

REFRESH_MS = 300  # a pause in typing this long shows the messages
AUTOSAVE_MS = 1500


class IntakePage(Page):
    """One intake at a time. ``start(code)`` opens an item (RS04) or a bundle (BD01).

    Signals: ``submitted(tracking_ref)`` right after the case is committed; ``done`` when the
    worker presses 完成 on the receipt (the page has already reset to a blank form of the same
    item, ready for the next resident); ``read_requested`` when the worker asks for the card
    (F2): the reader's answer comes back through :meth:`take_card`, never on this thread.
    """

    submitted = Signal(str)
    done = Signal()
    read_requested = Signal()
    confirming = Signal()  # the 核对 step is shown: the resident checks now
    returned = Signal()  # back from 核对 to the form

    def __init__(self, ctx: StationContext, parent: QWidget | None = None, *,
                 printer: Printer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ctx = ctx
        self.printer: Printer = printer or QtPrinter(self, lambda: ctx.settings.printer)
        self.session: IntakeSession | None = None

        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)

        self.stack = QStackedWidget()
        self.form_page = FormPage()
        self.confirm_view = ConfirmView()
        self.receipt_view = ReceiptView(
            lambda: self.printer, paper=lambda: self.paper,
            printed=lambda ref: record_printed(ctx, ref, kind="receipt", reprint=False))
        for w in (self.form_page, self.confirm_view, self.receipt_view):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.note = PageNote(self.form_page)
        self.form_page.set_notice_source(lambda: self.session.notice() if self.session else None)
        self.cards = CardIntake(self)
        self.drafts = DraftOffers(self)
        layout.addWidget(self.cards.question)
        layout.addWidget(self.stack)

        fp = self.form_page
        fp.read_button.clicked.connect(self.read_id_card)
        fp.restore_button.clicked.connect(self.restore_draft)
        fp.discard_button.clicked.connect(self.discard_offered_draft)
        fp.notice_button.clicked.connect(self.print_notice)
        fp.submit_button.clicked.connect(self.try_submit)
        fp.materials.toggled.connect(self._on_ticked)
        self.confirm_view.back.connect(self.back_to_form)
        self.confirm_view.confirmed.connect(self.confirm)
        self.receipt_view.done.connect(self.next_case)
        for keys, slot in (("F2", self.read_id_card), ("Ctrl+Return", self.try_submit),
                           ("Ctrl+Enter", self.try_submit)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- public API ---------------------------------------------------------------------------

    @property
    def paper(self) -> Paper:
        """The station's paper (设置), read at each print: a change applies at once."""
        return Paper(self.ctx.settings.paper)

    @property
    def form_view(self) -> FormView:
        assert self.form_page.form_view is not None, "start(code) first"
        return self.form_page.form_view

    def start(self, code: str) -> None:
        """Open a new intake of an item or bundle; offer to resume an unfinished one."""
        self.flush()
        self._open(IntakeSession(self.ctx, code))
        self.drafts.offer(code)

    def restore_draft(self) -> bool:
        """Continue the offered draft (same id, so the case keeps it when saved)."""
        if not self.drafts.restore():
            return False
        self._focus_first_problem(reveal=False)
        return True

    def discard_offered_draft(self) -> None:
        self.drafts.discard()

    def refresh(self) -> None:
        """Show messages, visible fields, materials and what blocks saving, from the services."""
        self._refresh_timer.stop()
        s = self.session
        if s is None:
            return
        rev = s.review()
        self.form_view.show_state(s.visible_keys(), s.shown_errors(rev), s.derived_text)
        if self.form_page.materials.show_materials(s.materials(rev)):
            self.form_page.fix_tab_order()
        errors = rev.result.errors
        first = s.label_of(next(iter(errors))) if errors else ""
        reasons = blocker_lines(len(errors), first, [m.name for m in rev.missing],
                                MATERIALS_NAMED)  # the services' blockers, in this language
        self.form_page.show_blockers(reasons, rev.can_submit, bool(rev.missing))
        self.note.reviewed(bool(rev.missing))

    def try_submit(self) -> bool:
        """Go to 核对 when nothing blocks; otherwise show every problem and go to the first."""
        s = self.session
        if s is None or self.stack.currentWidget() is not self.form_page:
            return False
        self.refresh()
        if s.review().can_submit:
            self.confirm_view.show_confirmation(s.confirmation())
            self.stack.setCurrentWidget(self.confirm_view)
            self.confirm_view.confirm_button.setFocus()
            self.confirming.emit()
            return True
        self._focus_first_problem(reveal=True)
        return False

    def back_to_form(self) -> None:
        self.stack.setCurrentWidget(self.form_page)
        self.form_page.submit_button.setFocus()
        self.returned.emit()

    def confirm(self) -> SavedCase | None:
        """Save; "已保存" and the receipt appear only after the commit returned."""
        s = self.session
        if s is None:
            return None
        self.confirm_view.confirm_button.setEnabled(False)
        try:
            case = s.submit()
        except IntakeRefused:
            self.back_to_form()
            self._focus_first_problem(reveal=True)
            return None
        except StorageFailed as e:  # disk full, database locked …
            log.exception("保存办件失败")
            self.confirm_view.set_error(self.tr(
                "未能保存（{0}）。资料仍在屏幕上，请再按“确认无误，提交”；反复失败请联系技术支持")
                .format(e.detail))
            self.confirm_view.confirm_button.setEnabled(True)
            return None
        self._refresh_timer.stop()
        self._autosave_timer.stop()
        self.receipt_view.show_case(case)
        self.stack.setCurrentWidget(self.receipt_view)
        self.receipt_view.print_button.setFocus()
        self.submitted.emit(case.tracking_ref)
        return case

    def read_id_card(self) -> None:
        """F2 / 读身份证: ask the reader; the card arrives through :meth:`take_card`."""
        if self.session is not None and self.stack.currentWidget() is self.form_page:
            self.read_requested.emit()

    def take_card(self, notice: CardNotice) -> bool:
        """A card placed, or the reader's one line (see :class:`CardIntake`)."""
        return self.cards.take(notice)

    def fill_from_card(self, card: IdCardData) -> None:
        """Put the card's data in the form (the caller checked it is the same person)."""
        s = self.session
        assert s is not None
        filled = s.fill_from_card(card)
        self.form_view.set_values({k: s.values[k] for k in filled})
        self.refresh()
        self._autosave_timer.start()
        self._focus_first_problem(reveal=False)

    def give_answers(self, answers: dict[str, object]) -> None:
        """A quick answer: the worker's decision, put in the form; then on to 核对 (or to
        the first thing still missing)."""
        s = self.session
        if s is None:
            return
        for key, value in answers.items():
            s.set_value(key, value)
        self.form_view.set_values(answers)
        self._autosave_timer.start()
        self.try_submit()

    def open_session(self, session: IntakeSession) -> None:
        """Show this session's form (a new one, or a draft to continue)."""
        self._open(session)

    def print_notice(self) -> bool:
        """Print the 一次性告知单 of what is missing; the draft is kept for the next visit."""
        if self.session is None:
            return False
        self.autosave()
        printed, message = devices.print_notice(self.session, self.printer, self.paper)
        self.note.say(message, Until.COMPLETE if printed else Until.EDIT)
        if printed:  # the notice names the resident: who printed it is recorded
            record_printed(self.ctx, self.session.draft_id, kind="notice", reprint=False,
                           number=self.session.notice().notice_no)
        return printed

    def autosave(self) -> None:
        self._autosave_timer.stop()
        if self.session is not None:
            try:
                self.session.autosave()
            except StorageFailed:
                log.exception("草稿自动保存失败")
                failed = self.tr("草稿未能自动保存（磁盘或数据库出错），请尽快完成或联系技术支持。")
                self.note.say(failed, Until.SAVED)
                return
            self.note.saved()

    def show_review(self) -> None:
        """Show the 核对 step for the answers so far, checks skipped (a preview for screenshots).

        Saving from it still goes through the services, which refuse an incomplete case.
        """
        if self.session is not None:
            self.refresh()
            self.confirm_view.show_confirmation(self.session.confirmation())
            self.stack.setCurrentWidget(self.confirm_view)

    def enter(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shutdown(self) -> None:
        """The main window is closing: keep the draft, stop the timers."""
        self.flush()

    def next_case(self) -> None:
        """完成: a blank form of the same item for the next resident (e.g. a 年审 queue)."""
        if self.session is not None:
            self.start(self.session.code)
        self.done.emit()

    def flush(self) -> None:
        """Stop the timers and keep what was typed (closing, switching pages, quitting)."""
        self._refresh_timer.stop()
        if self._autosave_timer.isActive() or (self.session and self.session.dirty):
            self.autosave()

    # -- internals ----------------------------------------------------------------------------

    def _open(self, session: IntakeSession) -> None:
        self.session = session
        self.cards.question.clear()
        view = FormView(session.form, lambda p: store_attachment(self.ctx.data_dir, p,
                                                                 key=self.ctx.data_key),
                        quick_answers(session.form))
        view.set_values(session.values)
        view.changed.connect(self._on_changed)
        view.left.connect(self._on_left)
        view.submit_requested.connect(self.try_submit)
        view.quick_answer.connect(self.give_answers)
        view.structure_changed.connect(self.form_page.fix_tab_order)
        self.form_page.set_form(session.form.title, view)
        self.note.say(None)
        self.stack.setCurrentWidget(self.form_page)
        self.refresh()
        self.form_page.fix_tab_order()

    def _on_changed(self, key: str, immediate: bool) -> None:
        if self.session is None:
            return
        self.session.set_value(key, self.form_view.widgets[key].value())
        self.note.edited()
        if immediate:
            self.refresh()
        else:
            self._refresh_timer.start()
        self._autosave_timer.start()

    def _on_left(self, key: str) -> None:
        if self.session is not None:
            self.session.leave(key)
            self.refresh()

    def _on_ticked(self, name: str, received: bool) -> None:
        if self.session is not None:
            self.session.set_ticked(name, received)
            self.note.edited()
            self.refresh()
            self._autosave_timer.start()

    def _focus_first_problem(self, *, reveal: bool) -> None:
        s = self.session
        if s is None:
            return
        s.reveal_all = s.reveal_all or reveal
        self.refresh()
        path = s.first_problem(s.review())
        if path is None:
            self.form_page.submit_button.setFocus()
        elif path.startswith(MATERIAL_PREFIX):
            self.form_page.focus_material(path[len(MATERIAL_PREFIX):])
        else:
            self.form_view.focus_path(path)
            self.form_page.ensure_focus_visible()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)

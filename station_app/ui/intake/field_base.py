"""The common shape of every intake input: caption, input, help, and a message under it.

Widgets hold no rules. They hand the raw value to the page, which asks the services, and
show the Chinese message they are given. The message has a sign in front so colour is never
the only cue, and it is also the inputs' accessible description for screen readers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station_app.domain.catalogue import FormField
from station_app.i18n import mark_data
from station_app.ui.spaced_label import SpacedLabel

ERROR_SIGN = "⚠ "
_PASSING_REASONS = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget one of the theme's QSS roles and re-polish it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def caption_of(field: FormField) -> str:
    """Most fields are required, so the few optional ones are the ones marked."""
    if field.required:
        return field.label
    return QCoreApplication.translate("FieldWidget", "{0}（选填）").format(field.label)


class FieldWidget(QWidget):
    """Base of all field widgets.

    Signals: ``changed(immediate)`` when the worker edits the value (True for a choice, which
    refreshes the form at once; False for typing, which waits for a pause); ``left`` when the
    focus moves out of the field; ``submit_requested`` when Enter is pressed in a text input.
    """

    changed = Signal(bool)
    left = Signal()
    submit_requested = Signal()

    def __init__(self, field: FormField, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setAccessibleName(field.label)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self.caption = SpacedLabel(caption_of(field))
        mark_data(self.caption)  # the catalogue's label
        outer.addWidget(self.caption)
        self.body = QHBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body)
        self.help_label: QLabel | None = None
        if field.help:
            self.help_label = SpacedLabel(field.help)
            set_role(self.help_label, "muted")
            mark_data(self.help_label)
            outer.addWidget(self.help_label)
        self.error_label = SpacedLabel()
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        set_role(self.error_label, "error")
        mark_data(self.error_label)  # messages come from the services, in Chinese
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self._error: str | None = None

    # -- to be provided by each kind --------------------------------------------------------

    def inputs(self) -> list[QWidget]:
        """Focusable inputs in reading order (the page builds the tab order from these)."""
        raise NotImplementedError

    def value(self) -> object:
        """The raw value as the services take it (validated there, not here)."""
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        """Show a value (restored draft, card reader, default) without emitting ``changed``."""
        raise NotImplementedError

    # -- shared behaviour -------------------------------------------------------------------

    def error(self) -> str | None:
        return self._error

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field, or clear it with None."""
        self._error = message
        if message:
            self.error_label.setText(ERROR_SIGN + message)
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()
        for w in self.inputs():
            w.setAccessibleDescription(message or "")

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """Errors of this field by sub-path ("" for the field, "room" for a part of it)."""
        self.set_error("；".join(dict.fromkeys(errors.values())) or None)

    def nested(self) -> Iterator[tuple[str, FieldWidget]]:
        """Field widgets inside this one, by relative path (repeating groups have some)."""
        return iter(())

    def focus_path(self, sub: str = "") -> None:
        """Put the cursor where the problem at ``sub`` is (default: the first input)."""
        inputs = [w for w in self.inputs() if w.isEnabled()]
        if inputs:
            inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def watch(self, widget: QWidget) -> None:
        """Report when the focus leaves this field from ``widget``."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent) \
                and event.reason() not in _PASSING_REASONS:
            now = QApplication.focusWidget()
            if now is None or not self.isAncestorOf(now):
                self.left.emit()
        return False

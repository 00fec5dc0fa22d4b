"""The intake form itself: one field widget per catalogue field, in reading order.

It shows what the page tells it (which fields are visible, which messages go where, what the
ID number says) and reports edits; deciding any of that is the services' job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from station_app.domain.forms import FormSpec
from station_app.ui.intake.field_attachment import StoreFile
from station_app.ui.intake.field_base import FieldWidget
from station_app.ui.intake.field_group import GroupField
from station_app.ui.intake.field_text import IdNumberField
from station_app.ui.intake.field_widgets import make_field
from station_app.ui.intake.quick_answers import QuickAnswerBar

Derive = Callable[[object], str | None]


def errors_under(errors: Mapping[str, str], key: str) -> dict[str, str]:
    """The errors of one top-level field, by path relative to it."""
    out = {}
    for path, message in errors.items():
        if path == key:
            out[""] = message
        elif path.startswith((key + ".", key + "[")):
            out[path[len(key):].lstrip(".")] = message
    return out


class FormView(QWidget):
    """Signals: ``changed(key, immediate)``, ``left(key)``, ``submit_requested``, and
    ``structure_changed`` when group rows come or go (the tab order must be rebuilt), and
    ``quick_answer(answers)`` when a quick answer was pressed (``quick``: see
    services.intake_defaults.quick_answers)."""

    changed = Signal(str, bool)
    quick_answer = Signal(dict)
    left = Signal(str)
    submit_requested = Signal()
    structure_changed = Signal()

    def __init__(self, form: FormSpec, store: StoreFile,
                 quick: list[dict[str, object]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 16, 16)
        layout.setSpacing(20)
        self.widgets: dict[str, FieldWidget] = {}
        self.quick_bar = QuickAnswerBar(quick) if quick else None
        # the bar goes just above the first field it answers
        self._quick_before = next((f.key for f in form.fields
                                   if any(f.key in a for a in quick or ())), None)
        if self.quick_bar is not None:
            self.quick_bar.chosen.connect(self.quick_answer.emit)
        for f in form.fields:
            w = make_field(f, store)
            key = f.key
            if key == self._quick_before and self.quick_bar is not None:
                layout.addWidget(self.quick_bar)
            w.changed.connect(lambda immediate, key=key: self.changed.emit(key, immediate))
            w.left.connect(lambda key=key: self.left.emit(key))
            w.submit_requested.connect(self.submit_requested.emit)
            if isinstance(w, GroupField):
                w.rows_changed.connect(self.structure_changed.emit)
            self.widgets[key] = w
            layout.addWidget(w)
        layout.addStretch(1)

    def values(self) -> dict[str, object]:
        return {key: w.value() for key, w in self.widgets.items()}

    def set_values(self, values: Mapping[str, object]) -> None:
        for key, value in values.items():
            if key in self.widgets:
                self.widgets[key].set_value(value)

    def all_fields(self) -> Iterator[tuple[str, FieldWidget]]:
        """Every field widget by its full path, group members included."""
        for key, w in self.widgets.items():
            yield key, w
            for rel, sub in w.nested():
                yield key + rel, sub

    def show_state(self, visible: set[str], errors: Mapping[str, str], derive: Derive) -> None:
        """Show the visible fields only, each with its messages and derived ID details."""
        for key, w in self.widgets.items():
            w.setHidden(key not in visible)
            w.set_errors(errors_under(errors, key))
        for _, w in self.all_fields():
            if isinstance(w, IdNumberField):
                w.set_derived(derive(w.value()))

    def focus_path(self, path: str) -> FieldWidget | None:
        """Put the cursor on the problem at ``path``; returns the field it is in."""
        for key, w in self.widgets.items():
            if path == key or path.startswith((key + ".", key + "[")):
                w.focus_path(path[len(key):].lstrip("."))
                return w
        return None

    def inputs(self) -> list[QWidget]:
        """Focusable inputs of the visible fields, in reading order."""
        return [i for w in self.widgets.values() if not w.isHidden() for i in w.inputs()]

    def all_inputs(self) -> list[QWidget]:
        """Inputs of every field, hidden ones too (Tab skips those; the order stays right)."""
        out: list[QWidget] = []
        for key, w in self.widgets.items():
            if key == self._quick_before and self.quick_bar is not None:
                out += self.quick_bar.buttons
            out += w.inputs()
        return out

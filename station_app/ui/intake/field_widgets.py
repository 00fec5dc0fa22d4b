"""One widget per catalogue field type, all with the `FieldWidget` interface.

value() -> raw value for the services; set_value(v); set_error(message | None) shows the
Chinese message under the field; accessibleName is the field's label; ``changed`` is emitted
on every edit by the worker.
"""

from __future__ import annotations

from station_app.domain.catalogue import FieldType, FormField
from station_app.ui.intake.field_address import AddressField
from station_app.ui.intake.field_attachment import AttachmentField, StoreFile
from station_app.ui.intake.field_base import ERROR_SIGN, FieldWidget
from station_app.ui.intake.field_choice import (
    RADIO_MAX_OPTIONS,
    ComboChoiceField,
    MultiChoiceField,
    RadioChoiceField,
)
from station_app.ui.intake.field_date import DateField
from station_app.ui.intake.field_group import GroupField
from station_app.ui.intake.field_text import IdNumberField, LineField, MultilineField

__all__ = [
    "ERROR_SIGN", "AddressField", "AttachmentField", "ComboChoiceField", "DateField",
    "FieldWidget", "GroupField", "IdNumberField", "LineField", "MultiChoiceField",
    "MultilineField", "RadioChoiceField", "make_field",
]

_LINE_TYPES = frozenset({FieldType.TEXT, FieldType.PHONE, FieldType.INTEGER, FieldType.MONEY,
                         FieldType.USCC, FieldType.BANK_ACCOUNT})


def make_field(field: FormField, store: StoreFile) -> FieldWidget:
    """The widget for ``field``; ``store`` keeps attached files (services.attachments)."""
    t = field.type
    if t is FieldType.TEXT and field.multiline:
        return MultilineField(field)
    if t in _LINE_TYPES:
        return LineField(field)
    if t is FieldType.ID_NUMBER:
        return IdNumberField(field)
    if t is FieldType.DATE:
        return DateField(field)
    if t is FieldType.CHOICE:
        if len(field.options or ()) <= RADIO_MAX_OPTIONS:
            return RadioChoiceField(field)
        return ComboChoiceField(field)
    if t is FieldType.MULTI_CHOICE:
        return MultiChoiceField(field)
    if t is FieldType.ADDRESS:
        return AddressField(field)
    if t is FieldType.ATTACHMENT:
        return AttachmentField(field, store)
    if t is FieldType.GROUP:
        return GroupField(field, lambda member: make_field(member, store))
    raise ValueError(f"no widget for field type {t}")

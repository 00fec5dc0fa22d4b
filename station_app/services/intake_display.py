"""What the resident reads on the 核对 screen before the case is saved.

Built from the cleaned values that will be saved, so the resident confirms exactly what is
stored. ID numbers are masked on the worker's screen (it faces the counter, where others may
stand); the resident's own screen shows the full number in reading groups, so they can check it.
``full_rows`` always hold the full numbers, for 朗读: a resident who cannot read the screen
needs to hear the whole number to check it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.forms import FormSpec, visible_fields
from station_app.domain.masking import group_id, mask_id
from station_app.domain.validators import address_line


@dataclass(frozen=True)
class Confirmation:
    """The 核对 screen's content: items, the resident's answers, materials, promise."""

    title: str
    item_names: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]  # (label, text as shown)
    materials: tuple[str, ...]
    promised: str
    full_rows: tuple[tuple[str, str], ...] = ()  # rows with full ID numbers, for 朗读


def display_value(field: FormField, value: object, *, full_id: bool = False) -> str:
    """One cleaned value as a person reads it; ``full_id`` for the resident's own screen."""
    if field.type is FieldType.ID_NUMBER:
        return group_id(str(value)) if full_id else mask_id(str(value))
    if field.type is FieldType.ADDRESS and isinstance(value, Mapping):
        return address_line(value)
    if field.type is FieldType.MULTI_CHOICE and isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if field.type is FieldType.MONEY:
        return f"{value} 元"
    if field.type is FieldType.ATTACHMENT and isinstance(value, Mapping):
        return f"已附文件：{value.get('filename')}"
    if field.type is FieldType.GROUP and isinstance(value, list | tuple):
        return "\n".join(_group_row(field, i, row, full_id) for i, row in enumerate(value, 1)
                          if isinstance(row, Mapping)) or "无"
    return str(value)


def _group_row(field: FormField, n: int, row: Mapping[str, object], full_id: bool) -> str:
    parts = [f"{f.label}：{display_value(f, row[f.key], full_id=full_id)}"
             for f in field.fields or () if f.key in row]
    return f"第 {n} 行  " + "，".join(parts)


def confirmation_rows(form: FormSpec, cleaned: Mapping[str, object], *,
                      full_id: bool = False) -> tuple[tuple[str, str], ...]:
    """Every visible answer that will be saved, in the form's reading order."""
    rows: list[tuple[str, str]] = []
    for f in visible_fields(form, cleaned):
        if f.key in cleaned:
            rows.append((f.label, display_value(f, cleaned[f.key], full_id=full_id)))
    return tuple(rows)


def confirmation(form: FormSpec, cleaned: Mapping[str, object], item_names: Sequence[str],
                 materials: Sequence[str], promised: str, *,
                 full_id: bool = False) -> Confirmation:
    """The 核对 content; ``full_id`` only for the screen that faces the resident alone."""
    return Confirmation(form.title, tuple(item_names),
                        confirmation_rows(form, cleaned, full_id=full_id),
                        tuple(materials), promised,
                        confirmation_rows(form, cleaned, full_id=True))

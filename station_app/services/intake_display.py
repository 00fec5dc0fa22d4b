"""What the resident reads on the 核对 screen before the case is saved.

Built from the cleaned values that will be saved, so the resident confirms exactly what is
stored. ID numbers are masked (the screen faces the counter, where others may stand); the
``full_rows`` keep them whole, grouped for reading, for what only the resident takes in: the
read-aloud (朗读) of their own data, which they need to hear in full to check it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.forms import FormSpec, visible_fields
from station_app.domain.masking import mask_id
from station_app.domain.reading import group_id_number
from station_app.domain.validators import ADDRESS_PARTS


@dataclass(frozen=True)
class Confirmation:
    """The 核对 screen's content: items, the resident's answers, materials, promise."""

    title: str
    item_names: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]  # (label, text as shown)
    materials: tuple[str, ...]
    promised: str
    full_rows: tuple[tuple[str, str], ...] = ()  # as rows, ID numbers whole (420105 19600101 001X)


def display_value(field: FormField, value: object, *, reveal: bool = False) -> str:
    """One cleaned value as a person reads it; ``reveal`` shows ID numbers whole, grouped."""
    if field.type is FieldType.ID_NUMBER:
        return group_id_number(str(value)) if reveal else mask_id(str(value))
    if field.type is FieldType.ADDRESS and isinstance(value, Mapping):
        return " ".join(str(value.get(k) or "") for k in ADDRESS_PARTS if value.get(k))
    if field.type is FieldType.MULTI_CHOICE and isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if field.type is FieldType.MONEY:
        return f"{value} 元"
    if field.type is FieldType.ATTACHMENT and isinstance(value, Mapping):
        return f"已附文件：{value.get('filename')}"
    if field.type is FieldType.GROUP and isinstance(value, list | tuple):
        return "\n".join(_group_row(field, i, row, reveal) for i, row in enumerate(value, 1)
                         if isinstance(row, Mapping)) or "无"
    return str(value)


def _group_row(field: FormField, n: int, row: Mapping[str, object], reveal: bool) -> str:
    parts = [f"{f.label}：{display_value(f, row[f.key], reveal=reveal)}"
             for f in field.fields or () if f.key in row]
    return f"第 {n} 行  " + "，".join(parts)


def confirmation_rows(form: FormSpec, cleaned: Mapping[str, object], *,
                      reveal: bool = False) -> tuple[tuple[str, str], ...]:
    """Every visible answer that will be saved, in the form's reading order."""
    rows: list[tuple[str, str]] = []
    for f in visible_fields(form, cleaned):
        if f.key in cleaned:
            rows.append((f.label, display_value(f, cleaned[f.key], reveal=reveal)))
    return tuple(rows)


def confirmation(form: FormSpec, cleaned: Mapping[str, object], item_names: Sequence[str],
                 materials: Sequence[str], promised: str) -> Confirmation:
    return Confirmation(form.title, tuple(item_names), confirmation_rows(form, cleaned),
                        tuple(materials), promised,
                        confirmation_rows(form, cleaned, reveal=True))

"""Intake forms built from the catalogue: one form per item or per 一事联办 bundle.

A bundle's form asks a shared field once (一表申请). Fields are shared by key: every common
field (``ref``) and every own field whose definition is the same in each item (help texts
aside; the first item's help is shown). If two items declare an own field with the same key
but a different definition, both are kept and the later one is renamed
``<item code in lower case>_<key>`` (e.g. ``yb11_death_date``); conditions of that item
follow the rename, and ``FormSpec.original_keys`` maps it back for ``item_values``.

代办: when ``apply_by`` is 代办, the catalogue's agent fields are shown right after
``apply_by`` and are required, and the agent materials are added to the list.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Mapping, Sequence

from station_app.domain import messages as msg
from station_app.domain.catalogue import FieldRef, FieldType, FormField, Material
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.idcard import IdKind, InvalidIdNumber, Sex, age_on, parse_id_number
from station_app.domain.materials import AGENT_SOURCE, materials_for, missing_materials
from station_app.domain.normalize import plain_value
from station_app.domain.validators import Invalid, is_blank, validate_value

__all__ = [
    "AGENT_SOURCE", "DerivedInfo", "FormResult", "FormSpec", "derived_from_id", "form_for_bundle",
    "form_for_item", "item_values", "materials_for", "materials_needed", "missing_materials",
    "validate_form", "visible_fields",
]

APPLY_BY_KEY = "apply_by"
AGENT_CHOICE = "代办"


@dataclasses.dataclass(frozen=True)
class FormSpec:
    """An intake form: fields in reading order, resolved and merged, and whom each serves."""

    title: str
    item_codes: tuple[str, ...]
    fields: tuple[FormField, ...]
    needed_by: Mapping[str, tuple[str, ...]]  # field key -> item codes that need it
    agent_keys: frozenset[str] = frozenset()
    # renamed key -> the key in its own item
    original_keys: Mapping[str, str] = dataclasses.field(default_factory=dict)
    form_versions: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def field(self, key: str) -> FormField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


@dataclasses.dataclass(frozen=True)
class FormResult:
    """``cleaned``: normalised values of visible, filled fields. ``errors``: path -> message."""

    cleaned: dict[str, object]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclasses.dataclass(frozen=True)
class DerivedInfo:
    """What the ID number tells, shown next to it so the resident can confirm it."""

    sex: Sex
    birth_date: _dt.date
    age: int
    kind: IdKind


def _merged(old: FormField, new: FormField) -> FormField | None:
    """One field for two items' fields with the same key, or None if they ask different things.

    Fields of the same type and options are one question: required if either requires it,
    the tighter limits of both, and shown unconditionally unless both share the condition.
    Repeating groups of the same key merge their member fields the same way (一表申请).
    """
    if old.type is not new.type or old.options != new.options:
        return None
    lo = [v for v in (old.min, new.min) if v is not None]
    hi = [v for v in (old.max, new.max) if v is not None]
    lengths = [v for v in (old.max_length, new.max_length) if v is not None]
    update: dict[str, object] = {
        "required": old.required or new.required,
        "when": old.when if old.when == new.when else None,
        "min": max(lo) if lo else None, "max": min(hi) if hi else None,
        "max_length": min(lengths) if lengths else None,
    }
    if old.type is FieldType.GROUP:
        members = {g.key: g for g in old.fields or ()}
        for g in new.fields or ():
            if g.key in members:
                merged = _merged(members[g.key], g)
                if merged is None:
                    return None
                members[g.key] = merged
            else:
                members[g.key] = g
        update["fields"] = tuple(members.values())
        update["min_items"] = max(old.min_items, new.min_items)
        update["max_items"] = min(old.max_items, new.max_items)
        if update["min_items"] > update["max_items"]:  # type: ignore[operator]
            return None
    if update["min"] is not None and update["max"] is not None \
            and update["min"] > update["max"]:  # type: ignore[operator]
        return None
    return old.model_copy(update=update)


def _resolve(catalogue: Catalogue, entry: FieldRef | FormField) -> FormField:
    if not isinstance(entry, FieldRef):
        return entry
    f = catalogue.common_field(entry.ref)
    update: dict[str, object] = {}
    if entry.required is not None:
        update["required"] = entry.required
    if entry.label is not None:
        update["label"] = entry.label
    if entry.help is not None:
        update["help"] = entry.help
    return f.model_copy(update=update) if update else f


def _build(catalogue: Catalogue, codes: Sequence[str], title: str) -> FormSpec:
    fields: dict[str, FormField] = {}  # insertion order is reading order
    needed: dict[str, list[str]] = {}
    original: dict[str, str] = {}
    agent = {f.key: f.model_copy(update={"required": True})
             for f in catalogue.header.agent.fields}
    for code in codes:
        item = catalogue.item(code)
        renames: dict[str, str] = {}
        added: list[str] = []
        for entry in item.fields:
            f = _resolve(catalogue, entry)
            key = f.key
            old = fields.get(key)
            merged = _merged(old, f) if old is not None else None
            if old is not None and isinstance(entry, FieldRef):
                merged = old.model_copy(update={"required": old.required or f.required})
            if merged is not None:
                fields[key] = merged
                needed[key].append(code)
                continue
            if old is not None or key in agent:
                key = f"{code.lower()}_{f.key}"
                while key in fields or key in agent:
                    key += "_"
                renames[f.key] = key
                original[key] = f.key
                f = f.model_copy(update={"key": key})
            fields[key] = f
            needed[key] = [code]
            added.append(key)
        for key in added:
            when = fields[key].when
            if when is not None and when.field in renames:
                new_when = when.model_copy(update={"field": renames[when.field]})
                fields[key] = fields[key].model_copy(update={"when": new_when})
    ordered: list[FormField] = []
    for key, f in fields.items():
        ordered.append(f)
        if key == APPLY_BY_KEY:
            ordered.extend(agent.values())
            for agent_key in agent:
                needed[agent_key] = list(needed[APPLY_BY_KEY])
    versions = {c: catalogue.item(c).form_version for c in codes}
    agent_keys = frozenset(agent) if APPLY_BY_KEY in fields else frozenset()
    return FormSpec(title, tuple(codes), tuple(ordered),
                    {k: tuple(v) for k, v in needed.items()}, agent_keys, original, versions)


def form_for_item(catalogue: Catalogue, code: str) -> FormSpec:
    """The intake form of one item."""
    return _build(catalogue, [code], catalogue.item(code).name)


def form_for_bundle(catalogue: Catalogue, bundle_code: str) -> FormSpec:
    """One form for every item of a 一事联办 bundle, shared fields asked once."""
    bundle = catalogue.bundle(bundle_code)
    return _build(catalogue, list(bundle.items), bundle.name)


def _visible(fields: Sequence[FormField], values: Mapping[str, object],
             agent_keys: frozenset[str]) -> list[FormField]:
    """Fields shown for these values: a field hidden by a condition hides its dependents."""
    by_key = {f.key: f for f in fields}
    memo: dict[str, bool] = {}

    def shown(key: str, seen: frozenset[str]) -> bool:
        if key in memo:
            return memo[key]
        if key in seen or key not in by_key:
            return False  # a cycle or a missing controlling field: never shown
        f, seen = by_key[key], seen | {key}
        ok = True
        if key in agent_keys:
            ok = shown(APPLY_BY_KEY, seen) and (
                plain_value(values.get(APPLY_BY_KEY)) == AGENT_CHOICE)
        if ok and f.when is not None:
            ok = shown(f.when.field, seen) and f.when.holds(
                plain_value(values.get(f.when.field)))
        memo[key] = ok
        return ok

    return [f for f in fields if shown(f.key, frozenset())]


def visible_fields(form: FormSpec, values: Mapping[str, object]) -> list[FormField]:
    """The fields to show (and validate) for the values entered so far."""
    return _visible(form.fields, values, form.agent_keys)


def _check(fields: Sequence[FormField], values: Mapping[str, object], agent_keys: frozenset[str],
           prefix: str, cleaned: dict[str, object], errors: dict[str, str]) -> None:
    for f in _visible(fields, values, agent_keys):
        path, raw = prefix + f.key, values.get(f.key)
        if f.type is FieldType.GROUP:
            _check_group(f, raw, path, cleaned, errors)
        elif is_blank(raw):
            if f.required:
                errors[path] = msg.REQUIRED.format(label=f.label)
        else:
            result = validate_value(f, raw)
            if not isinstance(result, Invalid):
                cleaned[f.key] = result
            elif result.parts:
                errors.update({f"{path}.{part}": text for part, text in result.parts})
            else:
                errors[path] = result.message


def _check_group(f: FormField, raw: object, path: str, cleaned: dict[str, object],
                 errors: dict[str, str]) -> None:
    if raw is not None and not isinstance(raw, list | tuple):
        errors[path] = msg.GROUP_KIND.format(label=f.label)
        return
    rows: list[dict[str, object]] = []
    count = 0
    for i, row in enumerate(raw or ()):
        if not isinstance(row, Mapping):
            errors[f"{path}[{i}]"] = msg.GROUP_ROW_KIND.format(n=i + 1, label=f.label)
            count += 1
        elif not is_blank(row):  # an empty row added by mistake is simply dropped
            clean_row: dict[str, object] = {}
            _check(f.fields or (), row, frozenset(), f"{path}[{i}].", clean_row, errors)
            rows.append(clean_row)
            count += 1
    if count == 0 and f.required:
        errors[path] = msg.REQUIRED.format(label=f.label)
    elif count < f.min_items:
        errors[path] = msg.GROUP_TOO_FEW.format(label=f.label, min=f.min_items)
    elif count > f.max_items:
        errors[path] = msg.GROUP_TOO_MANY.format(label=f.label, max=f.max_items)
    if rows:
        cleaned[f.key] = rows


def validate_form(form: FormSpec, values: Mapping[str, object]) -> FormResult:
    """Check every visible field; paths look like ``family_members[1].member_id_number``.

    Group rows are numbered from 0 as in ``values``. Hidden and unknown keys are dropped.
    """
    cleaned: dict[str, object] = {}
    errors: dict[str, str] = {}
    _check(form.fields, values, form.agent_keys, "", cleaned, errors)
    return FormResult(cleaned, errors)


def materials_needed(catalogue: Catalogue, form: FormSpec,
                     values: Mapping[str, object]) -> list[tuple[str, Material]]:
    """Materials for these answers: 代办 adds the agent's, conditions pick the rest."""
    by_agent = plain_value(values.get(APPLY_BY_KEY)) == AGENT_CHOICE
    return materials_for(catalogue, form.item_codes, by_agent,
                         lambda code: item_values(form, values, code))


def item_values(form: FormSpec, cleaned: Mapping[str, object], code: str) -> dict[str, object]:
    """The part of a (bundle) payload one item needs, under that item's own field keys."""
    return {form.original_keys.get(k, k): v for k, v in cleaned.items()
            if code in form.needed_by.get(k, ())}


def derived_from_id(values: Mapping[str, object], on: _dt.date | None = None,
                    key: str = "id_number") -> DerivedInfo | None:
    """Sex, birth date and age on ``on`` (default today); None while the number is not valid."""
    raw = values.get(key)
    if not isinstance(raw, str):
        return None
    try:
        parsed = parse_id_number(raw)
    except InvalidIdNumber:
        return None
    day = on or _dt.date.today()
    return DerivedInfo(parsed.sex, parsed.birth_date, age_on(parsed.birth_date, day), parsed.kind)

"""Answers pre-filled on a new intake form, so the usual case takes the fewest actions.

A default is only a starting answer: it is shown on the form and again on the 核对 screen,
and the worker changes it like any other answer. Defaults are set only where the answer is
by far the most common and nobody has to judge anything (most residents come in person; the
next review falls due a year on). Where the worker must decide — whether the face check
passed, and how it was done — nothing is pre-selected; a *quick answer* instead gives the
usual outcome in one press, which is the worker's decision. An answer that is not one of the
field's options in the loaded catalogue is ignored, so a catalogue change cannot smuggle in
an invalid answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from station_app.domain.catalogue import FieldType
from station_app.domain.forms import FormSpec

DateRule = Callable[[date], date]


def within_a_year(accepted_on: date) -> date:
    """The last day of a twelve-month cycle that starts on ``accepted_on``."""
    try:
        same_day = accepted_on.replace(year=accepted_on.year + 1)
    except ValueError:  # 29 February
        same_day = accepted_on.replace(year=accepted_on.year + 1, day=28)
    return same_day - timedelta(days=1)


# Every item that asks ``apply_by`` (办理方式): the resident usually comes in person.
COMMON_DEFAULTS: Mapping[str, str] = {"apply_by": "本人办理"}


@dataclass(frozen=True)
class QuickAnswer:
    """Answers a worker gives together with one press when the usual outcome happened."""

    answers: Mapping[str, str]  # own field key -> option


# item code -> the usual outcomes, each given in one press (the worker decides; see above)
QUICK_ANSWERS: Mapping[str, tuple[QuickAnswer, ...]] = {
    "RS04": (QuickAnswer({"auth_method": "柜台人脸识别", "auth_result": "认证通过"}),),
}

# item code -> own date field key -> rule from the day of acceptance
ITEM_DATE_DEFAULTS: Mapping[str, Mapping[str, DateRule]] = {
    "RS04": {"next_due_date": within_a_year},  # 认证周期不超过 12 个月
}

# item code -> own integer field keys that start as this calendar year (年审年度)
ITEM_THIS_YEAR: Mapping[str, tuple[str, ...]] = {
    "LL27": ("review_year",),
}


def initial_values(form: FormSpec, today: date) -> dict[str, object]:
    """Pre-filled answers for a new form of one item or a bundle."""
    values: dict[str, object] = {}
    for f in form.fields:
        own_key = form.original_keys.get(f.key, f.key)
        answer: object | None = COMMON_DEFAULTS.get(own_key)
        for code in form.needed_by.get(f.key, ()):
            rule = ITEM_DATE_DEFAULTS.get(code, {}).get(own_key)
            if rule is not None and f.type is FieldType.DATE:
                answer = rule(today).isoformat()
            if own_key in ITEM_THIS_YEAR.get(code, ()) and f.type is FieldType.INTEGER:
                answer = str(today.year)
        if answer is None:
            continue
        if f.type is FieldType.CHOICE and answer not in (f.options or ()):
            continue
        values[f.key] = answer
    return values


def quick_answers(form: FormSpec) -> list[dict[str, object]]:
    """The quick answers of the form's items, by the form's field keys; one whose field or
    option the loaded catalogue lacks is left out whole."""
    out: list[dict[str, object]] = []
    codes = sorted({c for cs in form.needed_by.values() for c in cs})
    for code in codes:
        for quick in QUICK_ANSWERS.get(code, ()):
            mapped: dict[str, object] = {}
            for own, option in quick.answers.items():
                field = next((f for f in form.fields
                              if form.original_keys.get(f.key, f.key) == own
                              and code in form.needed_by.get(f.key, ())), None)
                if field is None or field.type is not FieldType.CHOICE \
                        or option not in (field.options or ()):
                    break
                mapped[field.key] = option
            else:
                out.append(mapped)
    return out

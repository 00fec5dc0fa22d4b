"""What a card read fills beyond name, number and address: answers the data decides.

Two sources, both only into blank fields (a worker's own answer is never overwritten):
- the card itself: the 老年证年审's 证型 follows from the age, and a chip read of a valid card
  is the check the review asks for (刷证即年审), so 年审结果 starts as 年审通过;
- this resident's earlier cases at the station (found by the ID lookup HMAC): a phone number
  and the answers of the same item that do not change from one year to the next. Fields
  whose answer is this visit's decision (a result, a reason, a date) are never carried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from station_app.domain.forms import FormSpec
from station_app.domain.id_card_data import IdCardData
from station_app.domain.idcard import InvalidIdNumber, age_on, parse_id_number
from station_app.domain.validators import is_blank
from station_app.services.card_offers import ELDER_CARD_AGE, RED_CARD_AGE, elder_card_type
from station_app.services.context import StationContext
from station_app.services.storage_errors import reading
from station_app.store.engine import session_scope
from station_app.store.queries import CaseFilter, IdLookup, list_submissions

CardRule = Callable[[IdCardData, int, date], str | None]


def _review_passed(card: IdCardData, age: int, today: date) -> str | None:
    return "年审通过" if card.chip_read and not card.expired_on(today) and \
        age >= ELDER_CARD_AGE else None


def _recharge(card: IdCardData, age: int, today: date) -> str | None:
    if age < ELDER_CARD_AGE:
        return None
    if age < RED_CARD_AGE:
        return "无需充次（蓝色优待证）"
    return "待充次（须在发证月份到充次网点办理）"  # 充次 is done later, at a 充次网点


# item code -> own field key -> rule from (card, age, today)
CARD_DERIVED: Mapping[str, Mapping[str, CardRule]] = {
    "LL27": {
        "card_type": lambda card, age, today: elder_card_type(age)
        if age >= ELDER_CARD_AGE else None,
        "review_result": _review_passed,
        "recharge_status": _recharge,
    },
}
CARRIED_FROM_ANY_CASE = ("phone",)
# item code -> own field keys kept from this resident's last case of the same item
CARRIED_FROM_SAME_ITEM: Mapping[str, tuple[str, ...]] = {
    "RS04": ("benefit_type",),
    "LL27": ("card_number",),
}
EARLIER_CASES_READ = 50


def derived_from_card(form: FormSpec, card: IdCardData, today: date) -> dict[str, object]:
    """Answers the card decides, by the form's field keys (options checked by the caller)."""
    try:
        number = parse_id_number(card.id_number, today)
    except InvalidIdNumber:
        return {}
    age = age_on(card.birth or number.birth_date, today)
    out: dict[str, object] = {}
    for f in form.fields:
        own = form.original_keys.get(f.key, f.key)
        for code in form.needed_by.get(f.key, ()):
            rule = CARD_DERIVED.get(code, {}).get(own)
            if rule is not None and (answer := rule(card, age, today)) is not None:
                out[f.key] = answer
    return out


def remembered(ctx: StationContext, form: FormSpec, id_number: str) -> dict[str, object]:
    """Answers kept from this resident's earlier cases, newest first, by form field key."""
    flt = CaseFilter(id_number=IdLookup.of(id_number, ctx.index_key))
    with reading("办件"), session_scope(ctx.engine) as s:
        earlier = [(c.item_code, dict(c.payload or {}))
                   for c in list_submissions(s, flt, limit=EARLIER_CASES_READ)]
    out: dict[str, object] = {}
    for f in form.fields:
        own = form.original_keys.get(f.key, f.key)
        same_item = {c for c in form.needed_by.get(f.key, ())
                     if own in CARRIED_FROM_SAME_ITEM.get(c, ())}
        for item_code, payload in earlier:  # newest first
            carried = own in CARRIED_FROM_ANY_CASE or item_code in same_item
            if carried and not is_blank(value := payload.get(own)):
                out[f.key] = value
                break
    return out

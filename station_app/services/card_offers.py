"""A card on the reader opens the right work: what this resident is most likely here for.

Placed on the 事项 page, a card answers two questions at once: which annual reviews are due at
this person's age (养老金资格认证 for a retiree, 老年证年审 from 60), and which of their cases
are still open at this station. Open cases are found through the ID lookup HMAC, so no ID
number is searched in clear. A review already done this calendar year is still offered (the
resident may need it again) but says when it was done, so the worker does not repeat it by
mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.id_card_data import IdCardData
from station_app.domain.idcard import InvalidIdNumber, Sex, age_on, parse_id_number
from station_app.domain.lifecycle import FINISHED, CaseStatus, SyncState
from station_app.domain.masking import mask_id
from station_app.services.context import StationContext
from station_app.services.receipts import title_of
from station_app.services.storage_errors import reading
from station_app.store.engine import session_scope
from station_app.store.queries import CaseFilter, IdLookup, list_submissions

ELDER_CARD_AGE = 60  # 武汉市老年人优待证 from 60; 红色优待证 from 65
RED_CARD_AGE = 65
# Statutory retirement ages before the 2025 reform (男 60, 女 50 for most workers): the
# earliest age at which a resident can be drawing the pension that needs 资格认证.
RETIREMENT_AGE = {Sex.MALE: 60, Sex.FEMALE: 50}
OPEN_CASES_SHOWN = 5


@dataclass(frozen=True)
class AnnualReview:
    """An annual review an age makes due: item code, why, and the date it was last done."""

    code: str
    rule: Callable[[int, Sex], bool]
    why: str


ANNUAL_REVIEWS: tuple[AnnualReview, ...] = (
    AnnualReview("LL27", lambda age, _: age >= ELDER_CARD_AGE,
                 "年满 60 周岁，每年年审一次"),
    AnnualReview("RS04", lambda age, sex: age >= RETIREMENT_AGE[sex],
                 "已到退休年龄，领取养老金每年认证一次"),
)


def elder_card_type(age: int) -> str:
    """证型 of the 老年人优待证 at this age (the LL27 form's option text)."""
    return "红色优待证（65 周岁及以上）" if age >= RED_CARD_AGE else "蓝色优待证（60—64 周岁）"


@dataclass(frozen=True)
class Offer:
    """One choice shown for the card: open an intake (``code``) or an open case (``ref``)."""

    title: str
    why: str
    code: str | None = None
    tracking_ref: str | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class CardOffers:
    """What the card opens: a heading for the worker, reviews due, open cases, a warning."""

    heading: str
    reviews: tuple[Offer, ...]
    open_cases: tuple[Offer, ...]
    warning: str | None


def _age_and_sex(card: IdCardData, today: date) -> tuple[int, Sex] | None:
    try:
        number = parse_id_number(card.id_number, today)
    except InvalidIdNumber:
        return None
    return age_on(card.birth or number.birth_date, today), number.sex


def _day(created_at: datetime) -> date:
    return created_at.astimezone(CHINA_TZ).date()


def offers_for(ctx: StationContext, card: IdCardData) -> CardOffers:
    """The offers for the card just placed. Raises StorageFailed when the store fails."""
    today = ctx.clock().astimezone(CHINA_TZ).date()
    known = _age_and_sex(card, today)
    who = card.name.strip() or mask_id(card.id_number)
    if known is None:
        return CardOffers(f"{who}：身份证号无法识别，请手工核对", (), (), None)
    age, sex = known
    with reading("办件"), session_scope(ctx.engine) as s:
        cases = list_submissions(s, CaseFilter(id_number=IdLookup.of(card.id_number,
                                                                    ctx.index_key)), limit=200)
        titles = {c.id: title_of(ctx, c) for c in cases}
    reviews = []
    for review in ANNUAL_REVIEWS:
        if review.code not in ctx.catalogue.items or not review.rule(age, sex):
            continue
        done = [c for c in cases if c.item_code == review.code
                and c.status != CaseStatus.REFUSED.value
                and _day(c.created_at).year == today.year]
        why = review.why
        if review.code == "LL27":
            why += f"（{elder_card_type(age).split('（')[0]}）"
        reviews.append(Offer(ctx.catalogue.items[review.code].name, why, code=review.code,
                             done_on=_day(done[0].created_at) if done else None))
    open_cases = [
        Offer(titles[c.id], _case_state(c.status, c.sync_state), tracking_ref=c.tracking_ref)
        for c in cases if c.purged_at is None and (c.status is None or CaseStatus(c.status)
                                                   not in FINISHED)][:OPEN_CASES_SHOWN]
    warning = None
    if card.expired_on(today) and card.valid_until is not None:
        warning = (f"身份证已过期（有效期至 {card.valid_until:%Y.%m.%d}）：可以办理，"
                   "请提醒居民到派出所换领新证")
    heading = f"{who}，{age} 岁，{card.kind.label}"
    return CardOffers(heading, tuple(reviews), tuple(open_cases), warning)


def _case_state(status: str | None, sync_state: str) -> str:
    if status is not None:
        return CaseStatus(status).label
    return SyncState(sync_state).label

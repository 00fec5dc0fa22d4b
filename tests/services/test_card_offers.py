"""A card placed opens the right work: reviews due by age, open cases, and the blanks the
card and the resident's earlier cases fill (Qt-free, on a real station folder)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.id_card_data import IdCardData
from station_app.services.card_offers import offers_for
from station_app.services.context import StationContext
from station_app.services.intake_session import IntakeSession
from station_app.services.receipts import find_case
from tests.helpers.counter import LI, RS04_PASSED, ZHANG, save_case

OLD_MAN, WOMAN_62 = ZHANG, LI
YOUNG = IdCardData("王芳", "420105198506120045", "湖北省武汉市汉阳区七里一村2栋101室", "女",
                   date(1985, 6, 12))
save = save_case


def test_reviews_due_by_age_and_sex(station_ctx: StationContext) -> None:
    station_ctx.clock = lambda: datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    old = offers_for(station_ctx, OLD_MAN)
    assert [o.code for o in old.reviews] == ["LL27", "RS04"]
    assert "红色优待证" in old.reviews[0].why and old.heading.startswith("张建国，70 岁")
    assert old.warning is None  # 长期 card
    woman = offers_for(station_ctx, WOMAN_62)
    assert [o.code for o in woman.reviews] == ["LL27", "RS04"]
    assert "蓝色优待证" in woman.reviews[0].why
    assert woman.warning is not None and "已过期" in woman.warning
    assert offers_for(station_ctx, YOUNG).reviews == ()


def test_open_cases_and_this_years_review_are_found_by_the_number(
        station_ctx: StationContext) -> None:
    station_ctx.clock = lambda: datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    ref = save(station_ctx, "LL27", OLD_MAN, phone="13871234567")
    save(station_ctx, "RS04", WOMAN_62, phone="13900001111", benefit_type="企业职工基本养老保险",
         **RS04_PASSED)
    offers = offers_for(station_ctx, OLD_MAN)
    assert [o.tracking_ref for o in offers.open_cases] == [ref]
    saved_on = find_case(station_ctx, ref).created_at.astimezone(CHINA_TZ).date()
    assert offers.reviews[0].done_on == saved_on  # the Beijing day it was saved
    assert offers.reviews[1].done_on is None


def test_card_fills_what_the_age_decides_and_what_earlier_cases_tell(
        station_ctx: StationContext) -> None:
    station_ctx.clock = lambda: datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
    save(station_ctx, "RS04", OLD_MAN, phone="13871234567", benefit_type="机关事业单位养老保险",
         **RS04_PASSED)
    lao = IntakeSession(station_ctx, "LL27")
    lao.fill_from_card(OLD_MAN)
    assert lao.values["card_type"] == "红色优待证（65 周岁及以上）"
    assert lao.values["review_year"] == "2026"
    assert lao.values["review_result"] == "年审通过"
    assert lao.values["phone"] == "13871234567"  # from the earlier case
    assert "benefit_type" not in lao.values  # another item's answer is not carried
    again = IntakeSession(station_ctx, "RS04")
    again.fill_from_card(OLD_MAN)
    assert again.values["benefit_type"] == "机关事业单位养老保险"
    assert "auth_result" not in again.values  # this year's check is decided this year
    blue = IntakeSession(station_ctx, "LL27")
    blue.set_value("phone", "13500000000")
    blue.fill_from_card(WOMAN_62)
    assert blue.values["card_type"] == "蓝色优待证（60—64 周岁）"
    assert blue.values["phone"] == "13500000000"  # a typed answer is never replaced
    assert "review_result" not in blue.values  # an expired card is not a passed review


def test_another_persons_form_is_named_before_anything_is_replaced(
        station_ctx: StationContext) -> None:
    session = IntakeSession(station_ctx, "LL27")
    assert session.other_person(OLD_MAN) is None
    session.fill_from_card(YOUNG)
    assert session.other_person(YOUNG) is None
    other = session.other_person(OLD_MAN)
    assert other is not None and "王" in other and "420105198506120045" not in other

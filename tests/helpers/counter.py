"""Residents at the counter: the cards they place, and a case saved for one of them earlier
(through the same services the intake screen uses), for the card and resident-screen tests."""

from __future__ import annotations

from datetime import date

from station_app.domain.id_card_data import IdCardData
from station_app.services.context import StationContext
from station_app.services.intake_session import IntakeSession

# 70 years old in 2026, a 长期 card: 老年证年审 (红色优待证) and 退休年审 are due
ZHANG = IdCardData("张建国", "420105195603150015",
                   "湖北省武汉市汉阳区琴断口街道七里一村5栋2单元301室", "男",
                   date(1956, 3, 15), "汉", "武汉市公安局汉阳分局", date(2016, 3, 1), None)
ZHANG_GROUPED = "420105 19560315 0015"
# the normal card of the stand-in reader libraries (tests/devices/c/standin_cards.h): 66 in 2026
SANFENG = IdCardData("张三丰", "42010519600101001X",
                     "湖北省武汉市汉阳区琴断口街道七里一村12栋3单元201", "男", date(1960, 1, 1),
                     "汉", "武汉市公安局汉阳分局", date(2015, 1, 1), None)
SANFENG_GROUPED = "420105 19600101 001X"
# 62, a card that ran out in 2020
LI = IdCardData("李秀兰", "420105196401200023",
                "湖北省武汉市汉阳区琴断口街道七里一村1栋1单元101室", "女",
                date(1964, 1, 20), "汉", "武汉市公安局汉阳分局", date(2010, 5, 1), date(2020, 5, 1))


# a 退休年审's face check as the worker records it when it passed at the counter
RS04_PASSED = {"auth_method": "柜台人脸识别", "auth_result": "认证通过"}


def save_case(ctx: StationContext, code: str, card: IdCardData, **values: object) -> str:
    """Save a case of ``code`` for the card's holder with every material ticked; its ref."""
    session = IntakeSession(ctx, code)
    session.fill_from_card(card)
    for key, value in values.items():
        session.set_value(key, value)
    for m, _ in session.materials(session.review()):
        session.set_ticked(m.name, True)
    rev = session.review()
    assert rev.can_submit, session.blockers(rev)
    return session.submit().tracking_ref

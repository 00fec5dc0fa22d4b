"""A retirement review (RS04) at the desk, for the read-aloud tests: the three things 朗读 reads
(核对, receipt, 一次性告知单), built by the same session the intake screen uses."""

from __future__ import annotations

from station_app.services.context import StationContext
from station_app.services.intake_session import IntakeSession

ID_NUMBER = "11010519491231002X"
RS04_VALUES = {
    "name": "张三丰", "id_number": ID_NUMBER, "phone": "13800000000",
    "address": {"community": "七里一村", "building": "1", "unit": "1", "room": "101"},
    "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险",
    "auth_method": "柜台人脸识别", "auth_result": "认证通过", "next_due_date": "2027-11-25",
}
RS04_MATERIAL = "居民身份证或社会保障卡"


def filled_review(ctx: StationContext, *, ticked: bool = True) -> IntakeSession:
    """RS04 with every answer given; its one material ticked as received, or not."""
    session = IntakeSession(ctx, "RS04")
    for key, value in RS04_VALUES.items():
        session.set_value(key, value)
    if ticked:
        session.set_ticked(RS04_MATERIAL, True)
    return session

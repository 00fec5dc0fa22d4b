"""What 朗读 says, built from what the 核对 screen, the receipt and the 一次性告知单 show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from station_app.domain.documents import MissingMaterial, NoticeData, StationInfo
from station_app.domain.reading import say_id_number
from station_app.services.context import StationContext
from station_app.services.intake_display import Confirmation
from station_app.services.read_aloud_texts import (
    confirmation_speech,
    notice_speech,
    receipt_speech,
)
from tests.services.read_aloud_support import ID_NUMBER, RS04_MATERIAL, filled_review


def test_the_review_reads_every_row_with_the_id_number_whole_in_groups(
        station_ctx: StationContext) -> None:
    c = filled_review(station_ctx).confirmation()
    said = confirmation_speech(c)
    assert "110***" in dict(c.rows)["身份证号"]  # the screen still masks it
    assert dict(c.full_rows)["身份证号"] == "110105 19491231 002X"
    assert "身份证号：一一零一零五，一九四九一二三一，零零二艾克斯。" in said
    assert say_id_number(ID_NUMBER) in said
    assert "下次认证到期日：二零二七年十一月二十五日。" in said  # a date as 年月日
    assert "手机号码：一三八零零零零零零零零。" in said
    assert f"已收材料：{RS04_MATERIAL}。" in said
    assert said.index("姓名") < said.index("身份证号") < said.index("办结时限")
    for label, _ in c.rows:
        assert label in said
    assert not any(ch.isdigit() for ch in said)  # every number written out


def test_a_review_without_whole_rows_reads_the_masked_rows_without_the_stars() -> None:
    c = Confirmation("退休人员年审", (), (("身份证号", "110***********002X"),), (), "即办件")
    said = confirmation_speech(c)
    assert "*" not in said and "零零二艾克斯" in said
    assert "办理事项：退休人员年审。" in said and "已收材料：无。" in said


def test_the_receipt_dictates_the_reference_and_says_what_to_do_next(
        station_ctx: StationContext) -> None:
    receipt = filled_review(station_ctx).submit().receipt
    said = receipt_speech(receipt)
    ref = receipt.tracking_ref  # HYyymmdd-XXXXXXXX
    assert ref[2:8] and "受理编号：艾尺歪，" in said
    assert "回执编号" not in said  # not synced yet: only the station's reference exists
    assert "办结时限：即办件，当场办结。" in said
    assert said.endswith("请您保管好回执，凭受理编号查询办理进度。")
    assert "张" not in said and not any(ch.isdigit() for ch in said)  # names no one
    synced = replace(receipt, receipt_no="QDK01-20261206-0007",
                     station=replace(receipt.station, contact_phone="027-84700000"))
    said = receipt_speech(synced)
    assert "回执编号：丘迪开，零一，二零二六，一二零六，零零零七。" in said
    assert said.endswith("如有疑问，请拨打零二七，八四七零，零零零零。")


def test_the_notice_lists_each_missing_material_with_form_and_copies(
        station_ctx: StationContext) -> None:
    said = notice_speech(filled_review(station_ctx, ticked=False).notice())
    assert said.startswith("一次性告知。办理事项：")
    assert f"还需要补交以下一项材料。第一项：{RS04_MATERIAL}，原件" in said
    notice = NoticeData(
        StationInfo("QDK01", "七里一村红色驿站"), "高龄津贴申领", "张*丰", "110***",
        datetime.now(UTC),
        (MissingMaterial("户口簿", "原件及复印件", 2, None, "高龄津贴申领"),
         MissingMaterial("授权委托书", "原件", 1, "须本人签字", "老年证办理")),
        "工作人员", ("复印件请用 A4 纸",))
    said = notice_speech(notice)
    assert "还需要补交以下两项材料。" in said
    assert "第一项：户口簿，原件及复印件，两份，用于高龄津贴申领。" in said
    assert "第二项：授权委托书，原件，一份，须本人签字，用于老年证办理。" in said
    assert "复印件请用 诶四 纸。" in said and "张" not in said
    assert said.endswith("请您备齐以上材料后再来办理，一次就能办好。")


def test_a_notice_with_nothing_missing_says_so() -> None:
    notice = NoticeData(StationInfo("QDK01", "驿站"), "高龄津贴申领", "", "", datetime.now(UTC),
                        (), "工作人员")
    assert "材料已经齐全" in notice_speech(notice)

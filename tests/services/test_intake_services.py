"""The Qt-free parts the intake screen stands on: card addresses, defaults, attachments, the
bookkeeping of a form being filled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from station_app.domain.catalogue import Material, MaterialForm
from station_app.services import attachments
from station_app.services.attachments import AttachmentError, attachment_path, store_attachment
from station_app.services.context import StationContext
from station_app.services.id_card import shown_by_card, split_address
from station_app.services.intake import open_form
from station_app.services.intake_defaults import initial_values, quick_answers, within_a_year
from station_app.services.intake_session import IntakeSession, path_parts, value_at


@pytest.mark.parametrize(("text", "parts"), [
    ("湖北省武汉市汉阳区琴断口街道七里一村5栋2单元301室", ("七里一村", "5栋", "2单元", "301室")),
    ("湖北省武汉市汉阳区琴断口街七里一村小区3号楼1单元502",
     ("七里一村小区", "3号楼", "1单元", "502")),
    ("武汉市汉阳区江城明珠小区12栋1-1203", ("江城明珠小区", "12栋", "", "1-1203")),
    ("北京市朝阳区建国路88号", ("建国路", "", "", "88号")),
    ("湖北省武汉市汉阳区七里庙", ("七里庙", "", "", "")),
    ("七里一村小区", ("七里一村小区", "", "", "")),  # a community ending in 区 is kept
])
def test_card_address_split_into_the_four_parts(text: str, parts: tuple[str, ...]) -> None:
    got = split_address(text)
    assert (got["community"], got["building"], got["unit"], got["room"]) == parts


def test_only_the_original_id_card_is_proven_by_the_card() -> None:
    assert shown_by_card(Material(name="居民身份证或社会保障卡"))
    assert not shown_by_card(Material(name="居民身份证", form=MaterialForm.ORIGINAL_AND_COPY))
    assert not shown_by_card(Material(name="代办人居民身份证"))


def test_defaults_for_the_retirement_review(station_ctx: StationContext) -> None:
    values = initial_values(open_form(station_ctx, "RS04"), date(2026, 11, 25))
    # 认证方式 and 认证结果 are the worker's decisions: never pre-selected
    assert values == {"apply_by": "本人办理", "next_due_date": "2027-11-24"}
    assert initial_values(open_form(station_ctx, "YB10"), date(2026, 11, 25)) == {
        "apply_by": "本人办理"}
    assert within_a_year(date(2028, 2, 29)) == date(2029, 2, 27)


def test_the_usual_review_outcome_is_one_quick_answer(station_ctx: StationContext) -> None:
    assert quick_answers(open_form(station_ctx, "RS04")) == [
        {"auth_method": "柜台人脸识别", "auth_result": "认证通过"}]
    assert quick_answers(open_form(station_ctx, "YB10")) == []


def test_attachments_are_stored_once_by_content(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"%PDF-1.4 scan")
    b.write_bytes(b"%PDF-1.4 scan")
    ref_a, ref_b = store_attachment(tmp_path / "data", a), store_attachment(tmp_path / "data", b)
    assert ref_a["sha256"] == ref_b["sha256"] and ref_b["filename"] == "b.pdf"
    assert ref_a["mime"] == "application/pdf"
    stored = attachment_path(tmp_path / "data", str(ref_a["sha256"]))
    assert stored.read_bytes() == b"%PDF-1.4 scan"
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no temporary left


def test_attachment_problems_are_explained(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AttachmentError, match="无法读取"):
        store_attachment(tmp_path, tmp_path / "missing.jpg")
    big = tmp_path / "big.tif"
    big.write_bytes(b"II*\x00" + b"0" * 64)
    monkeypatch.setattr(attachments, "MAX_BYTES", 32)
    with pytest.raises(AttachmentError, match="超过"):
        store_attachment(tmp_path, big)


def test_paths_and_labels_of_problems(station_ctx: StationContext) -> None:
    assert path_parts("family_members[1].member_id_number") == [
        "family_members", 1, "member_id_number"]
    values = {"family_members": [{}, {"member_name": "张三"}]}
    assert value_at(values, "family_members[1].member_name") == "张三"
    assert value_at(values, "family_members[5].member_name") is None
    session = IntakeSession(station_ctx, "MZ17")
    assert session.label_of("address.room") == "现居地址·门牌"
    assert session.label_of("family_members[1].member_id_number") == \
        "共同生活的其他家庭成员 第 2 行·身份证号"


def test_blank_fields_are_not_scolded_before_they_are_reached(
        station_ctx: StationContext) -> None:
    session = IntakeSession(station_ctx, "RS04")
    assert session.shown_errors(session.review()) == {}
    session.set_value("id_number", "4201")
    assert list(session.shown_errors(session.review())) == ["id_number"]
    session.set_value("name", "")
    assert "name" not in session.shown_errors(session.review())
    session.leave("name")
    assert "name" in session.shown_errors(session.review())
    session.reveal_all = True
    assert "phone" in session.shown_errors(session.review())
    assert session.blockers(session.review())[0].startswith("还有 ")


def test_the_notice_meets_the_one_time_notice_rules(station_ctx: StationContext) -> None:
    station_ctx.settings = station_ctx.settings.model_copy(update={
        "station_id": "QDK01", "contact_phone": "027-84700000",
        "station_address": "汉阳区琴断口街七里一村社区党群服务中心一楼",
        "opening_hours": "周一至周五 8:30—17:30"})
    session = IntakeSession(station_ctx, "MZ17")
    data = session.notice()
    assert data.notice_no.startswith("GZ-QDK01-") and data.notice_no == session.notice().notice_no
    form = next(m for m in data.missing if m.name == "低收入家庭认定申请表")
    assert form.note is not None and "空白表格" in form.note  # where a blank form is
    assert data.time_limits and data.time_limits[0].startswith(
        station_ctx.catalogue.item("MZ17").name)
    assert data.station.address is not None and data.station.hours is not None

"""Every field type with valid and invalid input; normalisation of what people type."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.normalize import (
    clean_text,
    halfwidth_alnum,
    normalize_code,
    remove_spaces,
    to_halfwidth,
)
from station_app.domain.validators import VALIDATORS, Invalid, is_blank, validate_value

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make(kind: FieldType, **extra: Any) -> FormField:
    return FormField(key="value", label="测试项", type=kind, **extra)


def ok(kind: FieldType, raw: object, **extra: Any) -> object:
    result = validate_value(make(kind, **extra), raw)
    assert not isinstance(result, Invalid), result
    return result


def bad(kind: FieldType, raw: object, **extra: Any) -> str:
    result = validate_value(make(kind, **extra), raw)
    assert isinstance(result, Invalid), result
    return result.message


def gb32100_check(first17: str) -> str:
    """The GB 32100 check character, written out from the standard."""
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def test_every_field_type_but_group_has_a_validator() -> None:
    assert set(VALIDATORS) == set(FieldType) - {FieldType.GROUP}
    with pytest.raises(TypeError):
        validate_value(FormField(key="g", label="组", type=FieldType.GROUP,
                                 fields=(make(FieldType.TEXT),)), [])


# -- normalisation ----------------------------------------------------------------------------


def test_full_width_to_half_width() -> None:
    assert to_halfwidth("１２３ＡＢｃ，（）－　＋") == "123ABc,()- +"
    assert to_halfwidth("张三") == "张三"
    assert halfwidth_alnum("阳光小区（二期）３栋") == "阳光小区（二期）3栋"
    assert remove_spaces(" 4201\u300005\xa019\u200b60\t\n") == "4201051960"
    assert normalize_code(" ９１３５ 0100m000100y43 ") == "91350100M000100Y43"
    assert clean_text("\u3000 张三丰 \u200b") == "张三丰"


def test_blank_values() -> None:
    blanks: list[object] = [None, "", " \u3000 ", [], {"community": "", "room": None}]
    for blank in blanks:
        assert is_blank(blank)
    for filled in ("0", 0, ["a"], {"room": "1"}):
        assert not is_blank(filled)


# -- text -------------------------------------------------------------------------------------


def test_text() -> None:
    assert ok(FieldType.TEXT, "  张三丰\u3000") == "张三丰"
    assert ok(FieldType.TEXT, "第一行\n第二行") == "第一行 第二行"
    assert ok(FieldType.TEXT, "第一行\r\n第二行", multiline=True) == "第一行\n第二行"
    assert bad(FieldType.TEXT, "一二三四五六", max_length=5) == "测试项最多 5 个字，现在是 6 个字"
    assert "控制字符" in bad(FieldType.TEXT, "abc\x00")
    assert "格式不对" in bad(FieldType.TEXT, 42)


# -- id number --------------------------------------------------------------------------------


def test_id_number() -> None:
    assert ok(FieldType.ID_NUMBER, "42010519600101001x") == "42010519600101001X"
    assert ok(FieldType.ID_NUMBER, "420105600101001") == "42010519600101001X"
    assert ok(FieldType.ID_NUMBER, "１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert "校验位错误" in bad(FieldType.ID_NUMBER, "110105194912310023")
    assert "只能由数字组成" in bad(FieldType.ID_NUMBER, 42010519600101001)


# -- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 19912345678", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("027-84561234", "027-84561234"),
        ("(027) 8456 1234", "027-84561234"),
        ("02784561234", "027-84561234"),
        ("84561234", "027-84561234"),
        ("+86 27 8456 1234", "027-84561234"),
        ("010-65123456", "010-65123456"),
        ("0710-3234567", "0710-3234567"),
        ("07103234567", "0710-3234567"),
        ("0755 86012345", "0755-86012345"),
    ],
)
def test_phone_valid(raw: str, stored: str) -> None:
    assert ok(FieldType.PHONE, raw) == stored


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("12812345678", "第二位应为 3–9"),
        ("1381234567", "应为 11 位"),
        ("138123456789", "应为 11 位"),
        ("+1 212 555 0100", "只支持中国大陆"),
        ("138-1234-567a", "只能包含数字"),
        ("027-0456123", "座机号码格式不对"),
        ("0710-123456", "座机号码格式不对"),
        ("7654321", "电话号码格式不对"),
        ("0", "电话号码格式不对"),
    ],
)
def test_phone_invalid(raw: str, fragment: str) -> None:
    assert fragment in bad(FieldType.PHONE, raw)


# -- date -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["2024-01-05", "2024-1-5", "2024/01/05", "2024/1/5", "2024.1.5", "2024年1月5日", "2024年1月5",
     "20240105", "２０２４－０１－０５", " 2024 - 1 - 5 ", dt.date(2024, 1, 5),
     dt.datetime(2024, 1, 5, 9, 30)],
)
def test_date_valid(raw: object) -> None:
    assert ok(FieldType.DATE, raw) == "2024-01-05"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2023-02-29", "2023-02-29 不存在"),
        ("2024-13-01", "不存在"),
        ("24-1-5", "日期格式不对"),
        ("2024-1", "日期格式不对"),
        ("明天", "日期格式不对"),
        ("17991231", "年份须在 1800 到 2199"),
        (20240105, "日期格式不对"),
    ],
)
def test_date_invalid(raw: object, fragment: str) -> None:
    assert fragment in bad(FieldType.DATE, raw)


# -- choices ----------------------------------------------------------------------------------


def test_choice() -> None:
    options = ("本人办理", "代办")
    assert ok(FieldType.CHOICE, " 代办 ", options=options) == "代办"
    message = bad(FieldType.CHOICE, "委托", options=options)
    assert message == "“委托”不是测试项的可选项，请从列表中选择"


def test_multi_choice() -> None:
    options = ("因病", "因残", "失业")
    assert ok(FieldType.MULTI_CHOICE, ["失业", "因病"], options=options) == ["因病", "失业"]
    assert ok(FieldType.MULTI_CHOICE, "因残", options=options) == ["因残"]
    assert bad(FieldType.MULTI_CHOICE, ["因病", "因病"], options=options) == "选项重复：因病"
    assert "不是测试项的可选项" in bad(FieldType.MULTI_CHOICE, ["因病", "其他"], options=options)
    assert "选项列表" in bad(FieldType.MULTI_CHOICE, {"因病": True}, options=options)


# -- numbers ----------------------------------------------------------------------------------


def test_integer() -> None:
    assert ok(FieldType.INTEGER, "3") == 3
    assert ok(FieldType.INTEGER, "３") == 3
    assert ok(FieldType.INTEGER, 7, min=0, max=20) == 7
    assert ok(FieldType.INTEGER, "1,200") == 1200
    assert ok(FieldType.INTEGER, 2.0) == 2
    assert bad(FieldType.INTEGER, "2.5") == "测试项须为整数"
    assert bad(FieldType.INTEGER, "三") == "测试项须为整数"
    assert bad(FieldType.INTEGER, True) == "测试项须为整数"
    assert bad(FieldType.INTEGER, "-1", min=0) == "测试项不能小于 0"
    assert bad(FieldType.INTEGER, 21, min=0, max=20) == "测试项不能大于 20"
    assert bad(FieldType.INTEGER, float("nan")) == "测试项须为整数"


def test_money() -> None:
    assert ok(FieldType.MONEY, "1,234.5") == "1234.50"
    assert ok(FieldType.MONEY, "0") == "0.00"
    assert ok(FieldType.MONEY, 12) == "12.00"
    assert ok(FieldType.MONEY, "￥８８.８元") == "88.80"
    assert ok(FieldType.MONEY, "1.230") == "1.23"
    assert ok(FieldType.MONEY, 0.1) == "0.10"
    assert ok(FieldType.MONEY, "-50", min=-100) == "-50.00"
    assert bad(FieldType.MONEY, "1.234") == "金额最多两位小数（到分）"
    assert bad(FieldType.MONEY, "-1") == "金额不能为负数"
    assert bad(FieldType.MONEY, "-1", min=0) == "金额不能为负数"
    assert bad(FieldType.MONEY, "12,34") == bad(FieldType.MONEY, "一百")
    assert "金额格式不对" in bad(FieldType.MONEY, "1e3")
    assert bad(FieldType.MONEY, "2500.01", max=2500) == "测试项不能大于 2500"
    assert bad(FieldType.MONEY, "9" * 13) == "金额过大，请核对"


# -- address ----------------------------------------------------------------------------------


def test_address() -> None:
    full = {"community": " 晴川花园 ", "building": "３栋", "unit": "2单元", "room": "1203"}
    assert ok(FieldType.ADDRESS, full) == {
        "community": "晴川花园", "building": "3栋", "unit": "2单元", "room": "1203"}
    assert ok(FieldType.ADDRESS, {"community": "鹦鹉洲社区平房", "room": 17}) == {
        "community": "鹦鹉洲社区平房", "building": "", "unit": "", "room": "17"}
    result = validate_value(make(FieldType.ADDRESS), {"building": "3栋"})
    assert isinstance(result, Invalid)
    assert dict(result.parts) == {"community": "请填写小区", "room": "请填写门牌"}
    result = validate_value(make(FieldType.ADDRESS), {"community": "晴" * 51, "room": "1"})
    assert isinstance(result, Invalid)
    assert dict(result.parts) == {"community": "小区最多 50 个字"}
    assert "无法识别的项：floor" in bad(FieldType.ADDRESS, {"community": "a", "room": "1",
                                                          "floor": "3"})
    assert "分项填写" in bad(FieldType.ADDRESS, "晴川花园3栋")


# -- 统一社会信用代码 -----------------------------------------------------------------


def test_uscc_sample_and_normalisation() -> None:
    assert ok(FieldType.USCC, "91350100M000100Y43") == "91350100M000100Y43"
    assert ok(FieldType.USCC, "９１３５０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"
    assert ok(FieldType.USCC, "91350100-M000100Y4-3") == "91350100M000100Y43"
    assert gb32100_check("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("91350100M000100Y44", "校验位错误：按前 17 位计算，最后一位应为 3"),
        ("91350100M000100Y4", "须为 18 位，现在是 17 位"),
        ("91350100M000100O43", "第 16 位“O”不对"),
        ("9135010IM000100Y43", "第 8 位“I”不对"),
        ("913A0100M000100Y43", "第 3–8 位是行政区划码"),
    ],
)
def test_uscc_invalid(raw: str, fragment: str) -> None:
    assert fragment in bad(FieldType.USCC, raw)


@pytest.mark.parametrize("first17", ["N2420105MA4K12345", "A1110000MB0123456", "Y1420105MJ0000012"])
def test_uscc_with_letter_authority_codes_accepted_though_stdnum_rejects_them(
    first17: str,
) -> None:
    # GB 32100 allows A (军队), N (农业: 集体经济组织) and Y (其他) as the first character.
    code = first17 + gb32100_check(first17)
    assert ok(FieldType.USCC, code) == code
    with pytest.raises(stdnum_errors.InvalidFormat):
        uscc.validate(code)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", stdnum_errors.InvalidChecksum),
        ("91350100M000100Y4", stdnum_errors.InvalidLength),
        ("91350100M000100S43", stdnum_errors.InvalidFormat),
    ],
)
def test_stdnum_uscc_rejections_that_we_share(code: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        uscc.validate(code)
    bad(FieldType.USCC, code)


def test_stdnum_uscc_check_character_is_gb32100() -> None:
    for first17 in ("91350100M000100Y4", "91420105MA4K12345", "12420105MB1234567"):
        assert uscc.calc_check_digit(first17) == gb32100_check(first17)


# -- bank account -----------------------------------------------------------------------------


def test_bank_account() -> None:
    assert ok(FieldType.BANK_ACCOUNT, "6222 0202 0000 1234 567") == "6222020200001234567"
    assert ok(FieldType.BANK_ACCOUNT, "１２３４５６７８９０１２") == "123456789012"
    assert ok(FieldType.BANK_ACCOUNT, "6222020200001234568") == "6222020200001234568"  # no Luhn
    assert ok(FieldType.BANK_ACCOUNT, 123456789012) == "123456789012"
    assert bad(FieldType.BANK_ACCOUNT, "12345678901") == "银行账号应为 12–19 位数字，现在是 11 位"
    assert "现在是 20 位" in bad(FieldType.BANK_ACCOUNT, "1" * 20)
    assert bad(FieldType.BANK_ACCOUNT, "6222O20200001234") == "银行账号只能由数字组成"


# -- attachment -------------------------------------------------------------------------------


def test_attachment() -> None:
    good = {"sha256": "AB" * 32, "filename": " 户口簿.pdf ", "size": 2048,
            "mime": "Application/PDF"}
    assert ok(FieldType.ATTACHMENT, good) == {
        "sha256": "ab" * 32, "filename": "户口簿.pdf", "size": 2048, "mime": "application/pdf"}
    assert "校验值" in bad(FieldType.ATTACHMENT, {**good, "sha256": "ab" * 31})
    assert "校验值" in bad(FieldType.ATTACHMENT, {**good, "sha256": "zz" * 32})
    assert "文件名" in bad(FieldType.ATTACHMENT, {**good, "filename": "../etc/passwd"})
    assert "文件名" in bad(FieldType.ATTACHMENT, {**good, "filename": " "})
    assert "大小" in bad(FieldType.ATTACHMENT, {**good, "size": 0})
    assert "大小" in bad(FieldType.ATTACHMENT, {**good, "size": "2048"})
    assert "文件类型" in bad(FieldType.ATTACHMENT, {**good, "mime": "pdf"})
    assert "不完整" in bad(FieldType.ATTACHMENT, {"sha256": "ab" * 32})
    assert "不完整" in bad(FieldType.ATTACHMENT, {**good, "path": "/tmp/x"})


def test_wire_text_refuses_exactly_the_control_characters_but_tab_and_line_breaks() -> None:
    """The district's check: Unicode's Cc category, whatever the plane, but \\t \\n \\r."""
    import sys
    import unicodedata

    from station_app.wire.bounds import text_problem

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue  # lone surrogates: refused for their own reason
        refused = text_problem("名字" + ch) is not None
        assert refused == (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"), hex(code)

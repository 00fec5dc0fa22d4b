"""Decoding the base message: every field, 长期, the permits, and damaged bytes in one line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station_app.domain.id_card_message import (
    BASE_MESSAGE_SIZE,
    NATIONS,
    CardMessageInvalid,
    decode_base_message,
)
from station_app.domain.idcard import PROVINCE_CODES, IdKind
from tests.devices.base_message import RawCard, encode, id_number


def test_a_normal_card_gives_every_field() -> None:
    card = decode_base_message(encode(RawCard()))
    assert (card.name, card.sex, card.nation, card.birth, card.id_number) == (
        "张三丰", "男", "汉", date(1960, 1, 1), "42010519600101001X")
    assert card.address == "湖北省武汉市汉阳区琴断口街道七里一村12栋3单元201"
    assert card.issuer == "武汉市公安局汉阳分局"
    assert (card.valid_from, card.valid_until) == (date(2015, 1, 1), date(2035, 1, 1))
    assert card.kind is IdKind.RESIDENT and card.chip_read and not card.long_term


def test_nations_follow_gb_3304() -> None:
    assert len(NATIONS) == 56 == len(set(NATIONS))
    for code, name in (("02", "蒙古"), ("05", "维吾尔"), ("10", "朝鲜"), ("29", "柯尔克孜"),
                       ("56", "基诺"), ("97", "其他")):
        assert decode_base_message(encode(RawCard(nation=code))).nation == name


def test_long_term_validity_has_no_end() -> None:
    card = decode_base_message(encode(RawCard(valid_from="20100101", valid_until="长期")))
    assert card.valid_until is None and card.long_term
    assert not card.expired_on(date(2099, 1, 1))


def test_an_expired_card_says_so() -> None:
    card = decode_base_message(encode(RawCard(valid_from="20040101", valid_until="20240101")))
    assert card.expired_on(date(2024, 1, 2)) and not card.expired_on(date(2024, 1, 1))


def test_a_fifteen_character_name_fills_the_field() -> None:
    name = "阿依古丽·买买提艾力·吐尔逊江"
    assert len(name) == 15
    assert decode_base_message(encode(RawCard(name=name))).name == name


@pytest.mark.parametrize(("prefix", "kind"), [("810000", IdKind.HK_MACAO_PERMIT),
                                              ("820000", IdKind.HK_MACAO_PERMIT),
                                              ("830000", IdKind.TAIWAN_PERMIT)])
def test_residence_permits_are_recognised_without_a_nation(prefix: str, kind: IdKind) -> None:
    number = id_number(prefix, date(1990, 5, 6), 2)
    card = decode_base_message(encode(RawCard(id_number=number, nation="", sex="2",
                                              birth="19900506", reserved="H12345678")))
    assert card.kind is kind and card.nation == "" and card.sex == "女"


def test_a_resident_card_without_a_nation_is_damaged() -> None:
    with pytest.raises(CardMessageInvalid, match="民族代码"):
        decode_base_message(encode(RawCard(nation="")))


def test_sex_code_zero_takes_the_sex_from_the_number() -> None:
    assert decode_base_message(encode(RawCard(sex="0"))).sex == "男"


@pytest.mark.parametrize(("raw", "what"), [
    (RawCard(name=""), "姓名为空"),
    (RawCard(sex="3"), "性别代码"),
    (RawCard(nation="57"), "民族代码“57”"),
    (RawCard(birth="19600231"), "出生日期“19600231”不是有效日期"),
    (RawCard(birth="1960-1-1"), "不是 8 位日期"),
    (RawCard(id_number="420105196001010010"), "证件号码"),
    (RawCard(id_number="420105600101001"), "应为 18 位"),
    (RawCard(valid_until="2035"), "有效期截止日期"),
])
def test_a_damaged_field_is_named_in_one_line(raw: RawCard, what: str) -> None:
    with pytest.raises(CardMessageInvalid) as err:
        decode_base_message(encode(raw))
    text = str(err.value)
    assert what in text and "\n" not in text and "手工录入" in text


def test_short_or_undecodable_bytes_are_refused() -> None:
    with pytest.raises(CardMessageInvalid, match="只有 200 字节"):
        decode_base_message(encode(RawCard())[:200])
    lone_surrogate = b"\x00\xd8" + encode(RawCard())[2:]
    with pytest.raises(CardMessageInvalid, match="姓名不是有效文字"):
        decode_base_message(lone_surrogate)


def test_bytes_after_the_message_are_ignored() -> None:
    data = encode(RawCard()) + b"\xff" * 10
    assert len(data) > BASE_MESSAGE_SIZE
    assert decode_base_message(data).name == "张三丰"


# --- round trips ----------------------------------------------------------------------------

_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
_PREFIXES = st.one_of(
    st.tuples(st.sampled_from(sorted(PROVINCE_CODES - {"71", "81", "82"})),
              st.integers(0, 9999)).map(lambda t: f"{t[0]}{t[1]:04d}"),
    st.sampled_from(["810000", "820000", "830000"]),
)


@st.composite
def raw_cards(draw: st.DrawFn) -> RawCard:
    birth = draw(_DAYS)
    number = id_number(draw(_PREFIXES), birth, draw(st.integers(0, 999)))
    start = draw(_DAYS)
    until = draw(st.one_of(st.just("长期"), _DAYS.map(lambda d: f"{d:%Y%m%d}")))
    permit = number.startswith(("81", "82", "83"))
    nation = draw(st.sampled_from(["", "01"])) if permit else \
        f"{draw(st.integers(1, 56)):02d}"
    return RawCard(
        name=draw(st.text(_HAN, min_size=1, max_size=15)),
        sex=draw(st.sampled_from(["1", "2"])), nation=nation, birth=f"{birth:%Y%m%d}",
        address=draw(st.text(_HAN | st.sampled_from("0123456789-"), max_size=35)),
        id_number=number, issuer=draw(st.text(_HAN, max_size=15)),
        valid_from=f"{start:%Y%m%d}", valid_until=until)


@given(raw_cards())
def test_round_trip(raw: RawCard) -> None:
    card = decode_base_message(encode(raw))
    assert (card.name, card.address, card.issuer, card.id_number) == (
        raw.name, raw.address, raw.issuer, raw.id_number)
    assert card.sex == {"1": "男", "2": "女"}[raw.sex]
    assert card.nation == ("" if not raw.nation else NATIONS[int(raw.nation) - 1])
    assert f"{card.birth:%Y%m%d}" == raw.birth and f"{card.valid_from:%Y%m%d}" == raw.valid_from
    assert (card.valid_until is None) == (raw.valid_until == "长期")
    if card.valid_until is not None:
        assert f"{card.valid_until:%Y%m%d}" == raw.valid_until


@given(st.binary(min_size=BASE_MESSAGE_SIZE, max_size=BASE_MESSAGE_SIZE))
def test_random_bytes_never_escape_as_another_error(data: bytes) -> None:
    try:
        decode_base_message(data)
    except CardMessageInvalid as e:
        assert "\n" not in str(e)


def test_changing_one_field_changes_only_that_field() -> None:
    base = RawCard()
    other = decode_base_message(encode(replace(base, address="北京市东城区某街1号")))
    assert other.address == "北京市东城区某街1号" and other.name == base.name

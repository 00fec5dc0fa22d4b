"""居民身份证 / 港澳台居民居住证 numbers: checks, upgrade, derivation, and where stdnum differs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from station_app.domain.idcard import (
    PROVINCE_CODES,
    IdKind,
    InvalidIdNumber,
    Sex,
    age_on,
    check_digit,
    is_valid_id_number,
    parse_id_number,
    upgrade15,
)

TODAY = dt.date(2026, 6, 1)


def mod11_2(first17: str) -> str:
    """ISO 7064 MOD 11-2 written out from the standard, independent of the code under test."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def with_check(first17: str) -> str:
    return first17 + mod11_2(first17)


def error_of(raw: str, today: dt.date = TODAY) -> str:
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number(raw, today)
    return info.value.message


def test_weights_are_those_of_the_standard() -> None:
    assert [pow(2, 17 - i, 11) for i in range(17)] == [
        7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),  # GB 11643 sample
        ("440524188001010014", dt.date(1880, 1, 1), Sex.MALE),  # GB 11643 sample
        ("42010519600101001X", dt.date(1960, 1, 1), Sex.MALE),  # 汉阳区
    ],
)
def test_standard_samples_are_valid(number: str, born: dt.date, sex: Sex) -> None:
    parsed = parse_id_number(number, TODAY)
    assert parsed.number18 == number
    assert parsed.birth_date == born
    assert parsed.sex is sex
    assert parsed.kind is IdKind.RESIDENT
    assert not parsed.upgraded_from15
    assert parsed.area_code == number[:6]


@pytest.mark.parametrize(
    ("first17", "kind"),
    [
        ("81000019940823002", IdKind.HK_MACAO_PERMIT),
        ("82000019851111003", IdKind.HK_MACAO_PERMIT),
        ("83000019900505004", IdKind.TAIWAN_PERMIT),
    ],
)
def test_residence_permits_are_accepted(first17: str, kind: IdKind) -> None:
    parsed = parse_id_number(with_check(first17), TODAY)
    assert parsed.kind is kind
    assert kind.label.endswith("居住证")


def test_hong_kong_sample_from_the_research_is_valid() -> None:
    parsed = parse_id_number("810000199408230021", TODAY)
    assert parsed.kind is IdKind.HK_MACAO_PERMIT
    assert parsed.birth_date == dt.date(1994, 8, 23)
    assert parsed.sex is Sex.FEMALE


def test_lower_case_x_full_width_digits_and_spaces_are_normalised() -> None:
    typed = "４２０１０５　１９６００１０１ ００１ｘ"
    assert parse_id_number(typed, TODAY).number18 == "42010519600101001X"
    assert parse_id_number("42010519600101001x", TODAY).number18 == "42010519600101001X"
    assert parse_id_number("\u200b420105 19600101 001X\n", TODAY).number18 == "42010519600101001X"


def test_wrong_check_digit_names_the_expected_one_and_asks_to_check_the_number() -> None:
    message = error_of("420105196001010010")
    assert "校验位错误" in message
    assert "应为 X" in message
    assert "核对" in message


def test_fifteen_digit_number_is_upgraded() -> None:
    old = "420105600101001"
    expected = with_check("420105" + "19" + "600101001")
    parsed = parse_id_number(old, TODAY)
    assert parsed.number18 == expected == "42010519600101001X"
    assert parsed.upgraded_from15
    assert parsed.birth_date == dt.date(1960, 1, 1)
    assert upgrade15(old) == expected


@pytest.mark.parametrize("old", ["110105491231002", "440524800101001", "420105850615124"])
def test_upgrade_matches_the_definition(old: str) -> None:
    assert upgrade15(old) == with_check(old[:6] + "19" + old[6:])
    assert parse_id_number(old, TODAY).number18 == upgrade15(old)


def test_fifteen_digit_number_with_impossible_date_is_rejected() -> None:
    assert "1985-02-29 不存在" in error_of("420105850229123")  # 1985 is not a leap year


def test_impossible_birth_date_is_rejected() -> None:
    assert error_of(with_check("11010519490230002")) == "出生日期 1949-02-30 不存在，请核对号码"
    assert "2023-02-29 不存在" in error_of(with_check("42010520230229002"))
    assert parse_id_number(with_check("42010520240229002"), TODAY).birth_date.day == 29


def test_future_birth_date_is_rejected() -> None:
    assert "晚于今天" in error_of(with_check("42010520260602001"))
    assert parse_id_number(with_check("42010520260601001"), TODAY).birth_date == TODAY
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    number = with_check("420105" + tomorrow.strftime("%Y%m%d") + "001")
    with pytest.raises(InvalidIdNumber, match="晚于今天"):
        parse_id_number(number)  # default today is the real one


def test_birth_year_before_1800_is_rejected() -> None:
    assert "早于 1800" in error_of(with_check("42010517991231001"))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请填写身份证号"),
        ("4201051960010100", "长度须为 18 位（或 15 位旧号），现在是 16 位"),
        ("4201051960010100101", "现在是 19 位"),
        ("4201051960010100X1", "只能由数字组成"),
        ("42010519600101001Y", "只能由数字组成"),
        ("42010560010100X", "15 位旧身份证号"),
        ("99010519600101001X", "前两位 99"),
        ("00010519600101001X", "前两位 00"),
    ],
)
def test_malformed_numbers_get_precise_messages(raw: str, fragment: str) -> None:
    assert fragment in error_of(raw)


def test_province_must_be_valid_but_83_only_for_taiwan_permits() -> None:
    assert "前两位 83" in error_of(with_check("83010519600101001"))
    assert "前两位 72" in error_of(with_check("72010519600101001"))
    for code in ("11", "15", "23", "37", "46", "54", "65", "71", "81", "82"):
        assert is_valid_id_number(with_check(code + "010519600101001"), TODAY), code


def test_retired_and_unknown_area_codes_are_accepted() -> None:
    # 420121 汉阳县 was merged into 蔡甸区 in 1992; 420120 (武汉 "市区") ended in 1983.
    # A number keeps the code it was issued with, so both stay valid for life.
    assert is_valid_id_number(with_check("42012119700101001"), TODAY)
    assert is_valid_id_number(with_check("42012019900101002"), TODAY)
    assert is_valid_id_number(with_check("42999919900101002"), TODAY)


def test_sex_and_birth_date_are_derived() -> None:
    female = parse_id_number(with_check("42010519850315004"), TODAY)
    male = parse_id_number(with_check("42010519850315013"), TODAY)
    assert (female.sex, male.sex) == (Sex.FEMALE, Sex.MALE)
    assert female.birth_date == dt.date(1985, 3, 15)
    assert female.age_on(dt.date(2026, 3, 14)) == 40
    assert female.age_on(dt.date(2026, 3, 15)) == 41


def test_age_of_a_leap_day_birthday() -> None:
    born = dt.date(2000, 2, 29)
    assert age_on(born, dt.date(2018, 2, 28)) == 17
    assert age_on(born, dt.date(2018, 3, 1)) == 18
    assert age_on(born, dt.date(2020, 2, 29)) == 20


def test_check_digit_refuses_malformed_input() -> None:
    with pytest.raises(ValueError, match="17"):
        check_digit("1234")
    with pytest.raises(ValueError, match="15"):
        upgrade15("42010560010100X")


# -- what stdnum.cn.ric does, and why only its check-digit function is used ---------------------


@settings(database=None, max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_stdnum_check_digit_is_mod_11_2(first17: str) -> None:
    assert ric.calc_check_digit(first17 + "0") == mod11_2(first17)
    assert check_digit(first17) == mod11_2(first17)


@pytest.mark.parametrize(
    "number",
    [
        "440524188001010014",  # GB 11643 sample: 440524 not listed for 1880
        "42010519600101001X",  # 汉阳区 got its code in 1983, after the birth year
        "810000199408230021",  # 港澳居民居住证: 810000 not in stdnum's county list
        with_check("42012019900101002"),  # retired code, issued before it was retired
    ],
)
def test_stdnum_validate_wrongly_rejects_real_numbers_we_accept(number: str) -> None:
    with pytest.raises(stdnum_errors.InvalidComponent):
        ric.validate(number)
    assert is_valid_id_number(number, TODAY)


def test_stdnum_validate_accepts_a_future_birth_date_we_reject() -> None:
    number = with_check("11010520990101001")
    assert ric.validate(number) == number
    assert not is_valid_id_number(number, TODAY)


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("420105196001010010", stdnum_errors.InvalidChecksum),
        ("4201051960010100", stdnum_errors.InvalidLength),
        ("42010519600101001A", stdnum_errors.InvalidChecksum),
        ("4201051960010A001X", stdnum_errors.InvalidFormat),
    ],
)
def test_stdnum_rejections_of_checksum_length_and_format_agree_with_ours(
    number: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        ric.validate(number)
    assert not is_valid_id_number(number, TODAY)


# -- property: any well-formed number validates, any other check character does not ------------

sorted_provinces = sorted(PROVINCE_CODES)


@settings(database=None, max_examples=300, deadline=None)
@given(
    province=st.sampled_from(sorted_provinces),
    area=st.text(alphabet="0123456789", min_size=4, max_size=4),
    born=st.dates(min_value=dt.date(1800, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
    data=st.data(),
)
def test_any_well_formed_number_validates_and_any_other_check_digit_fails(
    province: str, area: str, born: dt.date, sequence: int, data: st.DataObject
) -> None:
    first17 = f"{province}{area}{born:%Y%m%d}{sequence:03d}"
    number = with_check(first17)
    parsed = parse_id_number(number, TODAY)
    assert parsed.number18 == number
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)
    wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != number[-1]]))
    with pytest.raises(InvalidIdNumber, match="校验位错误"):
        parse_id_number(first17 + wrong, TODAY)

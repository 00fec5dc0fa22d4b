"""Masked display of ID numbers, phone numbers and names."""

from __future__ import annotations

import pytest

from station_app.domain.masking import mask_id, mask_name, mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("42010519600101001X", "420***********001X"),
        ("42010519600101001x", "420***********001X"),
        ("420105 19600101 001X", "420***********001X"),
        ("420105600101001", "420********1001"),
        ("42010519", "42****19"),
        ("4201", "4**1"),
        ("420", "***"),
        ("", ""),
    ],
)
def test_mask_id(raw: str, masked: str) -> None:
    assert mask_id(raw) == masked


def test_masked_id_never_shows_the_birth_date() -> None:
    for number in ("42010519600101001X", "420105600101001"):
        assert "600101" not in mask_id(number)
        assert len(mask_id(number)) == len(number)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "+86138****5678"),
        ("027-84561234", "027-****1234"),
        ("0710-3234567", "0710-***4567"),
        ("84561234", "****1234"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三丰", "张*丰"), ("李四", "李*"), ("欧阳娜娜", "欧**娜"), ("王", "*"),
     (" 张三丰 ", "张*丰"), ("", "")],
)
def test_mask_name(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked

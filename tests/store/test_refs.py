"""Tracking refs, masks and the ID lookup HMAC."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station_app.domain.china_time import CHINA_TZ
from station_app.store.refs import (
    id_last4,
    id_lookup_hmac,
    mask_name,
    new_submission_id,
    normalise_ref,
    tracking_ref_for,
)

REF_RE = re.compile(r"^HY\d{6}-[0-9A-HJKMNP-TV-Z]{8}$")

def _uuid7(millis: int, rand: int) -> str:
    rand_a, rand_b = (rand >> 62) & 0xFFF, rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=(millis << 80) | (7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b))


uuid7s = st.builds(_uuid7,
                   st.integers(min_value=0, max_value=7_258_118_400_000),  # 1970 … 2200
                   st.integers(min_value=0, max_value=(1 << 74) - 1))


def test_ref_format_and_date() -> None:
    sid = new_submission_id()
    ref = tracking_ref_for(sid)
    assert REF_RE.match(ref), ref
    assert tracking_ref_for(sid) == ref  # a pure function of the id


def test_ref_date_is_the_beijing_date() -> None:
    # 2025-03-13 16:30 UTC is already 03-14 in Wuhan
    millis = int(datetime.fromisoformat("2025-03-13T16:30:00+00:00").timestamp() * 1000)
    assert tracking_ref_for(_uuid7(millis, 12345)).startswith("HY250314-")
    assert datetime.fromtimestamp(millis / 1000, CHINA_TZ).day == 14


def test_non_v7_ids_and_absurd_clocks_are_refused() -> None:
    with pytest.raises(ValueError, match="UUIDv7"):
        tracking_ref_for(str(uuid.uuid4()))
    with pytest.raises(ValueError, match="calendar"):
        tracking_ref_for(_uuid7((1 << 48) - 1, 0))


@given(uuid7s)
def test_typed_or_scanned_refs_normalise_back(sid: str) -> None:
    ref = tracking_ref_for(sid)
    assert REF_RE.match(ref)
    assert normalise_ref(ref) == ref
    assert normalise_ref(" " + ref.lower().replace("-", " ") + "\n") == ref
    misread = "HY" + ref[2:].replace("0", "O").replace("1", "I")  # look-alike letters
    assert normalise_ref(misread) == ref


@pytest.mark.parametrize("text", ["", "HY", "XY250314-7K3M9Q2X", "HY250314-7K3M9Q2", "HY2503-U"])
def test_not_a_ref(text: str) -> None:
    assert normalise_ref(text) is None


def test_refs_of_many_ids_are_distinct() -> None:
    refs = {tracking_ref_for(new_submission_id()) for _ in range(20000)}
    assert len(refs) == 20000


@pytest.mark.parametrize(("name", "masked"), [
    ("张", "*"), ("张三", "张*"), ("张三丰", "张*丰"), ("欧阳明明", "欧**明"), (" 李四 ", "李*"),
])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_id_lookup_hmac() -> None:
    key, other = b"k" * 32, b"o" * 32
    value = id_lookup_hmac("11010519491231002X", key)
    assert value == id_lookup_hmac("11010519491231002x ", key)  # normalised
    assert value != id_lookup_hmac("11010519491231002X", other)
    assert "002X" not in value and len(value) == 64
    assert id_last4("11010519491231002x") == "002X"
    with pytest.raises(ValueError, match="16 bytes"):
        id_lookup_hmac("11010519491231002X", b"short")


@pytest.mark.parametrize("scanned", [
    "https://hy.example.cn/q/HY250314-7K3M9Q2X",
    "http://127.0.0.1:8700/q/HY250314-7K3M9Q2X/",
    "https://hy.example.cn/progress?ref=hy250314-7k3m9q2x&from=qr",
    "https://hy.example.cn/q/HY250314%2D7K3M9Q2X",
])
def test_a_scanned_progress_page_address_finds_its_case(scanned: str) -> None:
    """The receipt's QR code holds the progress page; scanned at the counter, it names the
    case at the end of the address."""
    assert normalise_ref(scanned) == "HY250314-7K3M9Q2X"


@pytest.mark.parametrize("scanned", ["https://hy.example.cn/q/", "https://hy.example.cn/q/HY2503"])
def test_an_address_without_a_reference_is_none(scanned: str) -> None:
    assert normalise_ref(scanned) is None

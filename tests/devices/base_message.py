"""Build a reader's 256-byte base message from readable values: the inverse of the decoder.

Used by the decoder's round-trip tests only. The C stand-in libraries build their cards with
their own code (tests/devices/c/standin_cards.h), so a mistake here and in the decoder alike
would still be caught there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.domain.id_card_message import BASE_MESSAGE_SIZE, FIELDS
from station_app.domain.idcard import check_digit


@dataclass(frozen=True)
class RawCard:
    """The texts as the chip holds them (codes, not names; dates as YYYYMMDD or 长期)."""

    name: str = "张三丰"
    sex: str = "1"
    nation: str = "01"
    birth: str = "19600101"
    address: str = "湖北省武汉市汉阳区琴断口街道七里一村12栋3单元201"
    id_number: str = "42010519600101001X"
    issuer: str = "武汉市公安局汉阳分局"
    valid_from: str = "20150101"
    valid_until: str = "20350101"
    reserved: str = ""


def field_bytes(text: str, size: int) -> bytes:
    data = text.encode("utf-16-le")
    assert len(data) <= size, (text, size)
    return data + " ".encode("utf-16-le") * ((size - len(data)) // 2)


def encode(card: RawCard) -> bytes:
    data = b"".join(field_bytes(getattr(card, name), size) for name, size in FIELDS)
    assert len(data) == BASE_MESSAGE_SIZE
    return data


def id_number(prefix: str, birth: date, sequence: int) -> str:
    """A number with a correct check character (sequence odd = male)."""
    first17 = f"{prefix}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)

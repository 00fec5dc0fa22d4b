"""Reading a resident's ID card (居民身份证) at the desk, behind a small interface.

The terminal does not depend on one vendor's reader: a driver implements `IdCardReader`, and
the intake page only sees `IdCardData`. Without a reader (`NoReader`) the worker types the
values; nothing else changes. A real driver should answer within about a second (the desk
readers do); a slower one belongs in a worker thread behind a Qt adapter.
"""

from __future__ import annotations

import re
from typing import Protocol

from station_app.domain.catalogue import Material, MaterialForm
from station_app.domain.id_card_data import IdCardData
from station_app.domain.normalize import clean_text

__all__ = ["IdCardData", "IdCardReadError", "IdCardReader", "NoReader", "ReaderDevice",
           "card_values", "shown_by_card", "split_address"]


class IdCardReadError(Exception):
    """The reader could not read a card; the message says what to do, in Chinese."""


class IdCardReader(Protocol):
    """A desk ID-card reader. ``read`` returns None when no card is on the reader."""

    def read(self) -> IdCardData | None: ...


class ReaderDevice(IdCardReader, Protocol):
    """A reader that holds a port (``services.card_drivers.open_reader``): close it when done.

    Vendor libraries keep per-thread state, so a device is used on one thread only: the one
    that opened it (the polling worker), for ``read`` and ``close`` alike.
    """

    def close(self) -> None: ...


class NoReader:
    """The default when no reader is configured: tells the worker to type the values."""

    def read(self) -> IdCardData | None:
        raise IdCardReadError("本机未连接身份证阅读器，请手工录入姓名、身份证号和地址")

    def close(self) -> None:
        """Nothing is open."""


NO_CARD_MESSAGE = "阅读器上没有身份证：请把身份证平放在阅读器上，再按“读身份证”"

# Administrative levels printed before the community on a card's address, outermost first.
_LEVELS = (
    re.compile(r"^.{2,7}?(省|自治区)"),
    re.compile(r"^.{2,7}?(市|自治州|地区|盟)"),
    re.compile(r"^.{1,7}?(区|县|市|旗)"),
    re.compile(r"^.{2,9}?(街道办事处|街道|镇|乡|街)"),
)
_TAIL = re.compile(
    r"(?P<building>[0-9A-Za-z]+(?:栋|幢|号楼|座))?"
    r"(?P<unit>[0-9A-Za-z]+单元)?"
    r"(?P<room>[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?(?:室|号|户)?)?$"
)


def split_address(address: str) -> dict[str, str]:
    """A card's one-line address as the form's four parts (小区/楼栋/单元/门牌), best effort.

    Leading province/city/district/street names are dropped only in that order, so a
    community whose own name ends in 区 is left alone. What cannot be split stays in 小区 for
    the worker to check.
    """
    text = clean_text(address).replace(" ", "")
    for i, level in enumerate(_LEVELS):
        m = level.match(text)
        rest = text[m.end():] if m else ""
        if m and rest and not rest[0].isdigit():
            text = rest
        elif i > 0:  # a missing level ends the chain; only 省 is absent (municipalities)
            break
    tail = _TAIL.search(text)
    parts = {"community": text, "building": "", "unit": "", "room": ""}
    if tail and tail.group("room") and tail.start() > 0:
        parts["community"] = text[:tail.start()]
        for key in ("building", "unit", "room"):
            parts[key] = tail.group(key) or ""
    return parts


def card_values(card: IdCardData) -> dict[str, object]:
    """Form values a card fills: name, ID number and address, each only when the card has it.

    A keyboard-wedge reader types the number alone; its empty name and address must not
    blank what the worker already typed.
    """
    values: dict[str, object] = {"id_number": card.id_number.strip()}
    if card.name.strip():
        values["name"] = clean_text(card.name)
    if card.address.strip():
        values["address"] = split_address(card.address)
    return values


def shown_by_card(material: Material) -> bool:
    """A material the card itself proves received: the original ID card, no copy asked.

    The card was on the reader, so the original is at the desk; a photocopy is not, and the
    agent's (代办人) ID card is another person's card.
    """
    return (material.name.startswith("居民身份证") and material.form is MaterialForm.ORIGINAL)

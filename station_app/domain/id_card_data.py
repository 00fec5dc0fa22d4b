"""What a desk reader gives about the card on it, whichever driver read it.

A chip reader (SDTAPI, termb) gives everything printed on the card; a keyboard-wedge reader
only types the number, so every other field may be empty and the validity unknown. The kind
of document (居民身份证 or a 港澳台居民居住证) follows from the number, as for typed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.domain.idcard import IdKind, InvalidIdNumber, parse_id_number


@dataclass(frozen=True)
class IdCardData:
    """One card as read. ``valid_until`` None with ``valid_from`` set means 长期 (no end)."""

    name: str
    id_number: str
    address: str
    sex: str
    birth: date | None
    nation: str = ""
    issuer: str = ""
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def kind(self) -> IdKind:
        """居民身份证 unless the number says 港澳/台湾居民居住证 (or cannot be parsed)."""
        try:
            return parse_id_number(self.id_number).kind
        except InvalidIdNumber:
            return IdKind.RESIDENT

    @property
    def long_term(self) -> bool:
        """长期: a card with a start date and no end date never expires."""
        return self.valid_from is not None and self.valid_until is None

    def expired_on(self, day: date) -> bool:
        """True when the card's last valid day is before ``day`` (unknown validity: False)."""
        return self.valid_until is not None and self.valid_until < day

    @property
    def chip_read(self) -> bool:
        """True when the reader gave more than the number (a chip reader, not a wedge)."""
        return bool(self.name)

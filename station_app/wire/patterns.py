"""The shapes of the identifiers that cross the wire, as regular expressions.

Apart from the protocol's models (:mod:`station_app.wire.protocol`) so that what only checks
an identifier's shape — the station's settings, read before the window shows — does not
build every model of the protocol to get a pattern.
"""

from __future__ import annotations

from typing import Final

UUID_PATTERN: Final = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SHA256_PATTERN: Final = r"^[0-9a-f]{64}$"
STATION_ID_PATTERN: Final = r"^[A-Z0-9]{2,16}$"

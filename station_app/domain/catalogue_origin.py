"""Where a catalogue version came from: shipped with the program or pulled from the district.

A domain word, not a table: the start-up reads it with the catalogue files before the store
is loaded, and the store keeps it beside each catalogue version it records.
"""

from __future__ import annotations

from enum import StrEnum


class CatalogueSource(StrEnum):
    """Where a catalogue version came from."""

    BUNDLED = "bundled"
    PULLED = "pulled"

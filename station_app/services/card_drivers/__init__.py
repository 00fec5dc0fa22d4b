"""ID-card reader drivers: vendor libraries through ctypes, and keyboard-wedge readers.

Small modules, one job each: ``library`` loads a vendor library and words what goes wrong,
``sdtapi`` and ``termb`` speak the two common vendor ABIs, ``wedge`` recognises a number typed
by a reader, and ``factory`` opens what the settings name. Nothing here imports Qt: the GUI
polls through a worker-thread adapter, the ``card test`` command calls the same code.
"""

from __future__ import annotations

from station_app.services.card_drivers.factory import (
    CHIP_DRIVERS,
    KeyboardWedge,
    ReaderUnavailable,
    describe,
    open_reader,
    reader_problem,
)

__all__ = ["CHIP_DRIVERS", "KeyboardWedge", "ReaderUnavailable", "describe", "open_reader",
           "reader_problem"]

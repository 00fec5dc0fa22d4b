"""SDTAPI readers (精伦/Routon and compatibles, ``sdtapi.h``) through ctypes.

One read is the vendor's sequence: find the card (0x9F found, 0x80 none), select it (0x90),
read the base message (0x90). A card that was found but cannot be selected or read was moved
off the reader mid-read. The port is opened once and kept (``iIfOpen`` = 0 on every call), so
a poll does not re-open the USB device.

Signatures assumed (``int`` results, C declarations as in ``sdtapi.h``)::

    int SDT_OpenPort(int port);
    int SDT_ClosePort(int port);
    int SDT_StartFindIDCard(int port, unsigned char *manaInfo, int ifOpen);
    int SDT_SelectIDCard(int port, unsigned char *manaMsg, int ifOpen);
    int SDT_ReadBaseMsg(int port, unsigned char *text, unsigned int *textLen,
                        unsigned char *photo, unsigned int *photoLen, int ifOpen);

Used on one thread only (``owner.ThreadOwned``).
"""

from __future__ import annotations

import ctypes
from typing import Final

from station_app.domain.id_card_message import CardMessageInvalid, decode_base_message
from station_app.services.card_drivers.library import (
    Signatures,
    load_library,
    port_refused,
)
from station_app.services.card_drivers.messages import INTERRUPTED, NOT_ANSWERING
from station_app.services.card_drivers.owner import ThreadOwned
from station_app.services.id_card import IdCardData, IdCardReadError

SIGNATURES: Final[Signatures] = {
    "SDT_OpenPort": [ctypes.c_int], "SDT_ClosePort": [ctypes.c_int],
    "SDT_StartFindIDCard": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
    "SDT_SelectIDCard": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
    "SDT_ReadBaseMsg": [ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint),
                        ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint), ctypes.c_int],
}
OK: Final = 0x90
FOUND: Final = 0x9F
NO_CARD: Final = 0x80
TEXT_BUFFER: Final = 1024  # the message is 256 bytes; room for readers that report more
PHOTO_BUFFER: Final = 4096  # the WLT photo is 1024 bytes; not decoded, only received
MANA_BUFFER: Final = 64


def load(name: str) -> ctypes.CDLL:
    """The library with every function checked and typed; no port opened."""
    return load_library(name, "sdtapi", SIGNATURES)


class SdtapiReader(ThreadOwned):
    """An open SDTAPI reader on ``port``; ``read`` polls once, ``close`` gives the port back."""

    def __init__(self, library: str, port: int) -> None:
        super().__init__()
        self._lib = load(library)
        self.port = port
        if self._lib.SDT_OpenPort(port) != OK:
            raise port_refused(port)

    def read(self) -> IdCardData | None:
        self._check_thread()
        mana = ctypes.create_string_buffer(MANA_BUFFER)
        found = self._lib.SDT_StartFindIDCard(self.port, mana, 0)
        if found == NO_CARD:
            return None
        if found != FOUND:
            raise IdCardReadError(NOT_ANSWERING)
        if self._lib.SDT_SelectIDCard(self.port, mana, 0) != OK:
            raise IdCardReadError(INTERRUPTED)
        text, photo = (ctypes.create_string_buffer(TEXT_BUFFER),
                       ctypes.create_string_buffer(PHOTO_BUFFER))
        text_len, photo_len = ctypes.c_uint(TEXT_BUFFER), ctypes.c_uint(PHOTO_BUFFER)
        if self._lib.SDT_ReadBaseMsg(self.port, text, ctypes.byref(text_len), photo,
                                     ctypes.byref(photo_len), 0) != OK:
            raise IdCardReadError(INTERRUPTED)
        try:
            return decode_base_message(text.raw[:min(text_len.value, TEXT_BUFFER)])
        except CardMessageInvalid as e:
            raise IdCardReadError(str(e)) from None

    def close(self) -> None:
        if self._start_closing():
            self._lib.SDT_ClosePort(self.port)

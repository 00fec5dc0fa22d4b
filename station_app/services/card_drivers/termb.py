"""termb readers (华视/CVR and compatibles) through ctypes.

termb keeps one reader per process (no port argument after ``CVR_InitComm``). One read is
authenticate (find and select the card), then the base message. The Windows SDK's
``CVR_Read_Content`` writes the card to files; this driver uses the buffer call instead, with
the signature of the vendor's Linux SDK, mirrored on ``SDT_ReadBaseMsg`` (an assumption: a
library without it is refused with one line, naming the function)::

    int CVR_InitComm(int port);             /* 1 = port open */
    int CVR_Authenticate(void);             /* 1 = card found; 2, 3 = no card (寻卡/选卡失败) */
    int CVR_ReadBaseMsg(unsigned char *text, unsigned int *textLen,
                        unsigned char *photo, unsigned int *photoLen, int mode);  /* 1 = read */
    int CVR_CloseComm(void);

Any other result of ``CVR_Authenticate`` (0, 4 = reader not connected, negative) means the
reader is not answering. Used on one thread only (``owner.ThreadOwned``).
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
    "CVR_InitComm": [ctypes.c_int], "CVR_Authenticate": [],
    "CVR_ReadBaseMsg": [ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint), ctypes.c_char_p,
                        ctypes.POINTER(ctypes.c_uint), ctypes.c_int],
    "CVR_CloseComm": [],
}
OK: Final = 1
NO_CARD: Final = frozenset({2, 3})
TEXT_BUFFER: Final = 1024
PHOTO_BUFFER: Final = 4096


def load(name: str) -> ctypes.CDLL:
    """The library with every function checked and typed; no port opened."""
    return load_library(name, "termb", SIGNATURES)


class TermbReader(ThreadOwned):
    """An open termb reader; ``read`` polls once, ``close`` gives the port back."""

    def __init__(self, library: str, port: int) -> None:
        super().__init__()
        self._lib = load(library)
        self.port = port
        if self._lib.CVR_InitComm(port) != OK:
            raise port_refused(port)

    def read(self) -> IdCardData | None:
        self._check_thread()
        found = self._lib.CVR_Authenticate()
        if found in NO_CARD:
            return None
        if found != OK:
            raise IdCardReadError(NOT_ANSWERING)
        text, photo = (ctypes.create_string_buffer(TEXT_BUFFER),
                       ctypes.create_string_buffer(PHOTO_BUFFER))
        text_len, photo_len = ctypes.c_uint(TEXT_BUFFER), ctypes.c_uint(PHOTO_BUFFER)
        if self._lib.CVR_ReadBaseMsg(text, ctypes.byref(text_len), photo,
                                     ctypes.byref(photo_len), 0) != OK:
            raise IdCardReadError(INTERRUPTED)
        try:
            return decode_base_message(text.raw[:min(text_len.value, TEXT_BUFFER)])
        except CardMessageInvalid as e:
            raise IdCardReadError(str(e)) from None

    def close(self) -> None:
        if self._start_closing():
            self._lib.CVR_CloseComm()

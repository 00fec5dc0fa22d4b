"""The one-thread rule of the vendor drivers, checked rather than hoped for.

Vendor libraries keep state per thread (an open serial handle, a Windows message loop), and
the terminal polls the reader on a worker thread while the GUI thread must never wait on it.
A driver therefore remembers the thread that opened it and refuses calls from any other: a
programming mistake is caught at once instead of as a rare crash inside a DLL.
"""

from __future__ import annotations

import threading


class ThreadOwned:
    """Base of the ctypes drivers: ``_check_thread`` before every library call.

    ``_start_closing`` makes ``close`` idempotent (a second call does nothing).
    """

    def __init__(self) -> None:
        self._owner = threading.get_ident()
        self._closed = False

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("a card reader is used only on the thread that opened it")
        if self._closed:
            raise RuntimeError("the card reader is closed")

    def _start_closing(self) -> bool:
        """True the first time (the caller then closes the port), False afterwards."""
        if threading.get_ident() != self._owner:
            raise RuntimeError("a card reader is closed on the thread that opened it")
        first, self._closed = not self._closed, True
        return first

"""A per-address request limit for the public progress page, kept in memory.

The page needs no signature (residents open it from a receipt's QR code), so a fixed window
per client address is what stands between it and someone walking through the references.
Fixed windows keep the memory bound simple: the table is emptied when a window ends and holds
at most ``max_clients`` addresses within one; an address beyond that is told to wait for the
next window rather than growing the table. One process, one table: a server run with several
workers multiplies the limit by their number.
"""

from __future__ import annotations

import math
import threading
from typing import Final

WINDOW_SECONDS: Final = 60.0
DEFAULT_PER_MINUTE: Final = 30
"""Generous for a resident reloading the page, far too few for walking through references."""
MAX_CLIENTS: Final = 100_000


class FixedWindowLimit:
    """At most ``limit`` requests per address in each ``window``-second window."""

    def __init__(self, limit: int, *, window: float = WINDOW_SECONDS,
                 max_clients: int = MAX_CLIENTS) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._lock = threading.Lock()
        self._current = -1  # index of the window the counts belong to
        self._counts: dict[str, int] = {}

    def wait_seconds(self, client: str, now: float) -> int | None:
        """Count one request of ``client`` at ``now``: None when it may go ahead, else the
        whole seconds until the next window (the Retry-After value, at least 1)."""
        index = math.floor(now / self.window)
        with self._lock:
            if index != self._current:
                self._current = index
                self._counts = {}
            seen = self._counts.get(client)
            if seen is None and len(self._counts) >= self.max_clients:
                return self._until_next(index, now)
            if seen is not None and seen >= self.limit:
                return self._until_next(index, now)
            self._counts[client] = (seen or 0) + 1
            return None

    def _until_next(self, index: int, now: float) -> int:
        return max(1, math.ceil((index + 1) * self.window - now))

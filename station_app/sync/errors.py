"""What can go wrong talking to the district, sorted by what the station must do about it.

Only an explicit per-item answer changes local state (DESIGN invariant 3). Everything else is
one of these: the caller keeps the items queued and backs off; ``str()`` is one Chinese line
for the operator, so the status bar and ``sync --once`` can show it as is.
"""

from __future__ import annotations


class SyncError(Exception):
    """Base class; the message is meant for the operator."""


class OutcomeUnknown(SyncError):
    """No usable answer (timeout, reset, 5xx, 3xx, unexpected 4xx, unreadable or inconsistent
    reply): the district may or may not have stored what was sent, so it stays queued and the
    same bytes are sent again later.

    ``reached``: an HTTP reply arrived (the server is up, it just did not answer usefully).
    ``retry_after``: seconds the server asked us to wait, already clamped.
    """

    def __init__(self, message: str, *, reached: bool = False,
                 retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.reached = reached
        self.retry_after = retry_after
        self.status = status


class AuthError(SyncError):
    """401: the district refused the signature; ``reason`` is its Chinese explanation
    (wrong secret, unknown station, clock skew, replayed nonce)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"区后台拒绝了本站的签名：{reason}")
        self.code = code
        self.reason = reason


class DeadlineReached(SyncError):
    """The run's time budget ran out before a request was sent; nothing is in doubt."""

    def __init__(self) -> None:
        super().__init__("本次同步的时限已到，其余待下次继续")

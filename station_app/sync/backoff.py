"""Retry timing: exponential backoff with full jitter, capped, honouring Retry-After.

Full jitter (a uniform draw in ``[0, min(cap, base * 2^(n-1))]``) spreads the retries of 45
stations that lost the network together, so they do not all come back in the same second.
The server-wide backoff runs on a monotonic clock, so a wall clock set back cannot stall it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

Random = Callable[[], float]  # uniform in [0, 1), like random.random
RETRY_AFTER_MAX = 3600.0


@dataclass(frozen=True)
class BackoffPolicy:
    base: float = 2.0
    cap: float = 15 * 60.0
    retry_after_max: float = RETRY_AFTER_MAX

    def ceiling(self, failures: int) -> float:
        """Upper bound of the wait after ``failures`` consecutive failures (>= 1)."""
        return min(self.cap, self.base * 2.0 ** min(max(failures, 1) - 1, 40))

    def delay(self, failures: int, rng: Random, retry_after: float | None = None) -> float:
        """Seconds to wait; at least what the server asked for (clamped to an hour)."""
        wait = rng() * self.ceiling(failures)
        if retry_after is not None:
            wait = max(wait, min(max(retry_after, 0.0), self.retry_after_max))
        return wait


def parse_retry_after(value: str | None, now: datetime,
                      limit: float = RETRY_AFTER_MAX) -> float | None:
    """Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), clamped to
    ``[0, limit]``; anything unreadable is ignored rather than trusted."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return min(float(int(text[:12])), limit)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return min(max((when - now).total_seconds(), 0.0), limit)


class ServerBackoff:
    """Per-engine pause after failures that concern the whole server (5xx, timeouts, 401).

    Not thread-safe by itself: the engine only touches it while holding its run lock.
    """

    def __init__(self, policy: BackoffPolicy, rng: Random, monotonic: Callable[[], float]) -> None:
        self._policy = policy
        self._rng = rng
        self._monotonic = monotonic
        self.failures = 0
        self._until = 0.0
        self._asked_until = 0.0  # the part the server asked for with Retry-After

    def failed(self, retry_after: float | None = None) -> float:
        """Record a failure; return the seconds to wait before the next attempt."""
        self.failures += 1
        wait = self._policy.delay(self.failures, self._rng, retry_after)
        now = self._monotonic()
        self._until = now + wait
        asked = 0.0 if retry_after is None else min(retry_after, self._policy.retry_after_max)
        self._asked_until = now + max(asked, 0.0)
        return wait

    def succeeded(self) -> None:
        self.failures = 0
        self._until = self._asked_until = 0.0

    def remaining(self) -> float:
        """Seconds until the server may be tried again (0 when it may be tried now)."""
        return max(self._until - self._monotonic(), 0.0)

    def waive(self) -> None:
        """"立即同步": drop our own wait, but not what the server asked for with Retry-After,
        and keep the failure count so the next wait stays long if it fails again."""
        self._until = self._asked_until

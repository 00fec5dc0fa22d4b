"""Is this computer's clock close enough to the district's for its signatures to count?

Every signed request carries the station's time; the district refuses one more than
``MAX_SKEW_SECONDS`` away from its own (a replay guard). A terminal whose clock is far off
therefore fails every sync with "signature refused", which reads like a wrong secret. ``doctor``
and ``sync --once`` ask the district's unsigned ``/health`` for its clock first and say what
is wrong in one line instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from station_app.sync.client import SyncClient
from station_app.wire.signing import MAX_SKEW_SECONDS

SKEW_WARN_S = 60  # signatures still pass, but the margin is going


class SkewLevel(Enum):
    OK = "ok"
    WARN = "warn"
    REFUSED = "refused"  # the district refuses this station's signatures


@dataclass(frozen=True)
class ClockSkew:
    """This computer's clock minus the district's (positive: this one is ahead), estimated
    at the middle of the ``/health`` round trip."""

    seconds: float
    round_trip: float

    @property
    def level(self) -> SkewLevel:
        if abs(self.seconds) > MAX_SKEW_SECONDS:
            return SkewLevel.REFUSED
        if abs(self.seconds) > SKEW_WARN_S:
            return SkewLevel.WARN
        return SkewLevel.OK

    def describe(self) -> str:
        """One Chinese line: the difference, and at WARN or REFUSED what to do."""
        direction = "快" if self.seconds > 0 else "慢"
        text = f"本机时钟比区后台{direction} {abs(self.seconds):.0f} 秒"
        if self.level is SkewLevel.REFUSED:
            return (f"{text}，超过 {MAX_SKEW_SECONDS} 秒，区后台会拒绝本站的请求；"
                    "请校准本机时钟（日期、时间和时区）后重试")
        if self.level is SkewLevel.WARN:
            return f"{text}，超过 {SKEW_WARN_S} 秒，请尽快校准本机时钟"
        return text


def measure_skew(client: SyncClient, deadline: float, *,
                 wall: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> ClockSkew:
    """Ask the district for its clock; raises the client's ``SyncError`` when it cannot be
    reached. ``wall``: this station's clock (the one its signatures carry)."""
    started = monotonic()
    health = client.health(deadline)
    round_trip = monotonic() - started
    return clock_skew(health.server_unix, round_trip, wall())


def clock_skew(server_unix: float, round_trip: float, wall_now: float) -> ClockSkew:
    """The skew from a ``/health`` reply that took ``round_trip`` seconds and ended at
    ``wall_now`` on this station's clock."""
    return ClockSkew(wall_now - round_trip / 2 - server_unix, round_trip)

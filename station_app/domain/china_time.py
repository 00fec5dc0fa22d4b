"""The one time zone the district works in.

China keeps one zone and no summer time (none since 1991), so a fixed UTC+8 offset is exact
and needs no tz database on the station PC. Dates shown to people, working-day counts and
daily filters use it; storage and the wire keep UTC.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Final

CHINA_TZ: Final = timezone(timedelta(hours=8), "Asia/Shanghai")

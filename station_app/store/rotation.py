"""Which backups to keep: the newest of each of the last 7 days and of each of the last 4 weeks,
and the 3 newest of all.

Days and weeks are the station's (China time) and are counted among the days that *have* a
backup, not back from today's date: a terminal left off for a month, or a clock that jumped,
never finds every backup "too old" and deletes them all. A day with several backups (the
daily one, a close, a manual one) keeps its newest, which holds the most cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from station_app.domain.china_time import CHINA_TZ


@dataclass(frozen=True)
class RotationPolicy:
    """How many days and ISO weeks keep their newest backup (the sets overlap), and how many
    of the newest backups are kept whatever their day (an earlier one of today is still there
    if the newest goes bad on disk)."""

    daily: int = 7
    weekly: int = 4
    recent: int = 3


DEFAULT_POLICY = RotationPolicy()
T = TypeVar("T")


def backups_to_keep(taken: Sequence[tuple[T, datetime]],
                       policy: RotationPolicy = DEFAULT_POLICY) -> set[T]:
    """The items of ``taken`` (each with the aware time it was taken) that rotation keeps.

    The newest backup is always kept, whatever the policy says.
    """
    newest_first = sorted(taken, key=lambda pair: pair[1], reverse=True)
    keep: set[T] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    for item, at in newest_first:
        local = at.astimezone(CHINA_TZ).date()
        week = local.isocalendar()[:2]
        if local not in days and len(days) < policy.daily:
            days.add(local)
            keep.add(item)
        if week not in weeks and len(weeks) < policy.weekly:
            weeks.add(week)
            keep.add(item)
    keep.update(item for item, _ in newest_first[:max(policy.recent, 1)])
    return keep

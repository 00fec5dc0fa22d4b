"""What the sync tells its listeners: the jobs' names and the notice of a run starting or
finishing. Kept apart from the scheduler so the window can hear notices without loading the
sync engine and its HTTP client at start-up (they load when sync starts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from station_app.sync.report import SyncReport

PUSH_JOB: Final = "sync-push"
CHANGES_JOB: Final = "sync-changes"
CATALOGUE_JOB: Final = "sync-catalogue"


@dataclass(frozen=True)
class SyncNotice:
    """What listeners hear: a job started, or finished with its report."""

    kind: Literal["started", "finished"]
    job: str
    report: SyncReport | None = None


Listener = Callable[[SyncNotice], None]

"""Shared state of one sync run, handed to the push and pull steps."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from station_app.sync.attachments import AttachmentSource
from station_app.sync.backoff import BackoffPolicy, Random
from station_app.sync.catalogue import CatalogueInstaller
from station_app.sync.client import SyncClient
from station_app.sync.report import SyncReport
from station_app.wire.protocol import MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_CHANGES_LIMIT

SessionFactory = Callable[[], AbstractContextManager[Session]]
Clock = Callable[[], datetime]  # aware UTC wall clock (stored times, signing)
Monotonic = Callable[[], float]  # deadlines and server-wide backoff
Hook = Callable[[str], None]  # called at "pushing", "replied", "applied" (fault tests)


MAX_POISON_AFTER = 10


@dataclass(frozen=True)
class SyncOptions:
    """``poison_after``: how many times an item must fail when sent alone (5xx or unreadable
    reply, the district answering other items meanwhile) before it is set aside as 需处理
    so that it stops holding back the others (station_app.sync.isolate)."""

    batch_items: int = MAX_BATCH_ITEMS
    batch_bytes: int = MAX_BATCH_BYTES
    changes_page: int = 200
    run_budget: float = 120.0  # seconds per run when no deadline is given
    policy: BackoffPolicy = field(default_factory=BackoffPolicy)
    poison_after: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.batch_items <= MAX_BATCH_ITEMS:
            raise ValueError(f"batch_items must be 1..{MAX_BATCH_ITEMS}")
        if not 1 <= self.batch_bytes <= MAX_BATCH_BYTES:
            raise ValueError(f"batch_bytes must be 1..{MAX_BATCH_BYTES}")
        if not 1 <= self.changes_page <= MAX_CHANGES_LIMIT:
            raise ValueError(f"changes_page must be 1..{MAX_CHANGES_LIMIT}")
        if not 1 <= self.poison_after <= MAX_POISON_AFTER:
            raise ValueError(f"poison_after must be 1..{MAX_POISON_AFTER}")


@dataclass
class BatchLimits:
    """Batch size in use; starts at the options' limits and halves when something between
    us and the district (a proxy's body limit) answers 413, so the queue keeps moving."""

    items: int
    bytes: int

    def shrink(self, items_sent: int, bytes_sent: int) -> None:
        self.items = max(1, min(self.items, items_sent // 2))
        self.bytes = max(1, min(self.bytes, bytes_sent - 1))


def _no_hook(_stage: str) -> None:
    return None


@dataclass
class RunEnv:
    client: SyncClient
    sessions: SessionFactory
    station_id: str
    options: SyncOptions
    clock: Clock
    monotonic: Monotonic
    rng: Random
    deadline: float
    cancelled: Callable[[], bool]
    report: SyncReport
    uploaded: set[str]  # hashes the district is known to hold (kept across runs)
    limits: BatchLimits
    attachments: AttachmentSource | None = None
    catalogue: CatalogueInstaller | None = None
    hook: Hook = _no_hook

    def stop(self) -> bool:
        """Cancelled, or the run's time is up: finish the current step and return."""
        return self.cancelled() or self.monotonic() >= self.deadline

"""What the status bar shows, read cheaply from the local database (and the sync engine).

The queue counts come from the outbox itself, so they are honest whether or not a backend is
configured and whether or not the sync engine is running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from station_app.config import is_configured
from station_app.services.context import StationContext
from station_app.store.engine import session_scope
from station_app.store.models import OutboxState
from station_app.store.outbox import outbox_counts
from station_app.store.queries import count_attention

if TYPE_CHECKING:  # the sync engine (HTTP client) is loaded only when sync starts
    from station_app.services.sync_service import SyncStatus


@dataclass(frozen=True)
class StationStatus:
    configured: bool  # station id, backend URL and secret are all set
    queued: int  # saved here, not yet acknowledged by the district
    needs_attention: int  # cases 需处理 (the ⚠ list's count): a worker must look
    online: bool | None = None  # None: not known (no backend, or no attempt yet)
    last_success: datetime | None = None
    syncing: bool = False
    last_error: str | None = None
    sync_active: bool = False  # a sync engine is running in this terminal


def local_status(ctx: StationContext) -> StationStatus:
    """Counts from the outbox and the 需处理 rule; online state unknown until a sync engine
    reports."""
    with session_scope(ctx.engine) as s:
        counts = outbox_counts(s)
        attention = count_attention(s)
    return StationStatus(
        configured=is_configured(ctx.settings, ctx.secret),
        queued=counts.get(OutboxState.PENDING.value, 0),
        needs_attention=attention,
    )


def from_sync(s: SyncStatus) -> StationStatus:
    """What the running sync engine knows (its counts come from the same outbox)."""
    return StationStatus(configured=True, queued=s.queued, needs_attention=s.needs_attention,
                         online=s.online, last_success=s.last_success_at, syncing=s.running,
                         last_error=s.last_error, sync_active=True)

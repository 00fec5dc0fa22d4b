"""Pull steps: the district's status changes (by cursor) and its catalogue (by ETag).

Each page of changes and the cursor that follows it commit together, so a crash repeats at
most one page, and repeating is harmless (a status already recorded is skipped).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from station_app.domain.lifecycle import CaseStatus
from station_app.store.coltypes import utcnow
from station_app.store.models import HistorySource, StatusHistory
from station_app.store.records import get_setting, set_setting
from station_app.store.submissions import apply_status_change
from station_app.sync.catalogue import CatalogueRefused
from station_app.sync.run import RunEnv
from station_app.wire.protocol import ChangeEvent

CURSOR_KEY = "sync.changes_cursor"
ETAG_KEY = "sync.catalogue_etag"


def pull_changes(env: RunEnv) -> None:
    with env.sessions() as s:
        stored = get_setting(s, CURSOR_KEY, "0") or "0"
    cursor = int(stored) if stored.isascii() and stored.isdigit() else 0
    while not env.stop():
        page = env.client.changes(cursor, env.options.changes_page, env.deadline)
        with env.sessions() as s:
            for event in page.changes:
                _apply(s, event)
            set_setting(s, CURSOR_KEY, str(page.next_cursor))
        env.report.pulled_changes += len(page.changes)
        cursor = page.next_cursor
        if not page.more:
            return
    env.report.more_pending = True


def _apply(session: Session, event: ChangeEvent) -> None:
    """Record one change. The feed is in the district's order, so its latest word is the
    case's status, even when the district's clock (whole seconds) and the station's disagree
    about which came first."""
    if event.status == CaseStatus.ACCEPTED and _has_district_status(
            session, event.submission_id, CaseStatus.ACCEPTED):
        return  # already recorded when the push was acknowledged
    sub = apply_status_change(session, status=event.status,
                              at=datetime.fromisoformat(event.at),
                              note=event.note or None, submission_id=event.submission_id)
    if sub is not None and sub.status != event.status:
        sub.status, sub.updated_at = event.status, utcnow()
        session.add(sub)


def _has_district_status(session: Session, submission_id: str, status: str) -> bool:
    query = select(StatusHistory.id).where(
        col(StatusHistory.submission_id) == submission_id,
        col(StatusHistory.source) == HistorySource.DISTRICT,
        col(StatusHistory.status) == status)
    return session.exec(query).first() is not None


def pull_catalogue(env: RunEnv) -> None:
    """Download when the ETag changed; install and activate only a catalogue that loads."""
    if env.catalogue is None:
        return
    with env.sessions() as s:
        etag = get_setting(s, ETAG_KEY)
    fetched = env.client.catalogue(etag, env.deadline)
    if fetched is None:
        return
    try:
        env.catalogue.install(fetched.catalogue, fetched.etag)
    except CatalogueRefused as e:
        env.report.catalogue_problem = str(e)
        return
    if fetched.etag:
        with env.sessions() as s:
            set_setting(s, ETAG_KEY, fetched.etag)
    env.report.catalogue_updated = fetched.catalogue.catalogue_version

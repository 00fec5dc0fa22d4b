"""Shared pieces of the fault, kill, week-offline and stateful sync tests and of the sync
benchmark: a clock the tests can move, fast bulk queueing, and read-outs of both sides (what
the backend stored, what the station believes)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from station_app.services.attachments import store_attachment
from station_app.services.context import StationContext
from station_app.services.saving import (
    ApplicantIndex,
    NewSubmission,
    build_row,
    outbox_body,
    save_submission,
)
from station_app.store.bulk import CaseRows, insert_cases
from station_app.store.engine import session_scope
from station_app.store.models import (
    OutboxEntry,
    Submission,
)
from station_app.store.refs import new_submission_id
from station_app.sync.engine import SyncEngine
from tests.helpers.backend import RunningBackend
from tests.helpers.station import RS04_TICKED, RS04_VALUES

CATALOGUE_VERSION = "2026.11.1"
# the types of the make_engine and submit fixtures (tests/sync/conftest.py)
MakeEngine = Callable[..., SyncEngine]
Submit = Callable[..., Submission]


class FakeClock:
    """Real time plus an offset the test moves: ``sleep`` and ``advance`` jump ahead at
    once. The backend reads :meth:`time`; the station reads :meth:`now` (its wall clock,
    which may also be skewed on its own by ``station_skew``) and :meth:`monotonic`.

    The monotonic reading is the real one plus the same offset, so the HTTP client's own
    (real) monotonic clock never runs ahead of the engine's deadlines."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.station_skew = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time() + self.station_skew, UTC)

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.offset += max(seconds, 0.0)

    advance = sleep


def store_scan(data_dir: Path, data: bytes) -> str:
    """Attach ``data`` as a scan the way the intake page does; return its SHA-256."""
    source = data_dir.parent / f"scan-{hashlib.sha256(data).hexdigest()[:12]}.pdf"
    source.write_bytes(data)
    try:
        return str(store_attachment(data_dir, source)["sha256"])
    finally:
        source.unlink()


def save_rs04(db: Engine, n: int = 1) -> list[str]:
    """Save ``n`` RS04 cases the way the intake does (one transaction each)."""
    return [save_submission(db, NewSubmission(
        item_code="RS04", catalogue_version=CATALOGUE_VERSION, form_version="1",
        payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED)).id
        for _ in range(n)]


def queue_rs04_bulk(db: Engine, n: int, *, chunk: int = 2500,
                    at: datetime | None = None) -> list[str]:
    """Queue ``n`` RS04 cases fast: the rows and bytes ``save_submission`` builds
    (``build_row``, ``outbox_body``), written by the store's bulk insert in large
    transactions."""
    now = at or datetime.now(UTC)
    new = NewSubmission(item_code="RS04", catalogue_version=CATALOGUE_VERSION, form_version="1",
                        payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED,
                        applicant=ApplicantIndex("测*民", "002X"))
    ids: list[str] = []
    for start in range(0, n, chunk):
        cases = []
        for _ in range(min(chunk, n - start)):
            sub = build_row(new, new_submission_id(), now)
            cases.append(CaseRows(sub, outbox_body(sub)))
            ids.append(sub.id)
        insert_cases(db, cases)
    return ids


@dataclass(frozen=True)
class LocalItem:
    sync_state: str
    outbox_state: str
    receipt_no: str | None
    attempts: int
    next_attempt_at: datetime | None


def local_items(db: Engine) -> dict[str, LocalItem]:
    """Every local case: where the station believes it stands."""
    query = (sa_select(col(Submission.id), col(Submission.sync_state), col(OutboxEntry.state),
                       col(Submission.receipt_no), col(OutboxEntry.attempts),
                       col(OutboxEntry.next_attempt_at))
             .join(OutboxEntry, col(OutboxEntry.submission_id) == col(Submission.id)))
    with session_scope(db) as s:
        rows = s.connection().execute(query).all()
    return {r[0]: LocalItem(r[1], r[2], r[3], r[4], r[5]) for r in rows}


def local_state(ctx: StationContext, sid: str) -> tuple[Submission, OutboxEntry]:
    """One local case and its outbox entry, read fresh from the station's database."""
    with session_scope(ctx.engine) as s:
        sub = s.get(Submission, sid)
        entry = s.exec(select(OutboxEntry).where(OutboxEntry.submission_id == sid)).one()
        assert sub is not None
        return sub, entry


def backend_rows(backend: RunningBackend) -> list[tuple[str, str]]:
    """(submission_id, receipt_no) of every row the backend stored, duplicates included."""
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT submission_id, receipt_no FROM submissions")).all()
    finally:
        engine.dispose()
    return [(r[0], r[1]) for r in rows]


def backend_received(db: str | Engine, station_id: str | None = None
                     ) -> dict[str, list[str]]:
    """submission_id -> the receipt numbers the backend stored for it (one, if all is well).
    ``db``: the backend's database URL, or an engine on it (left open)."""
    engine = create_engine(db) if isinstance(db, str) else db
    try:
        with engine.connect() as conn:
            query = "SELECT submission_id, receipt_no FROM submissions"
            params: dict[str, str] = {}
            if station_id is not None:
                query += " WHERE station_id = :station"
                params["station"] = station_id
            rows = conn.execute(text(query + " ORDER BY id"), params).all()
    finally:
        if isinstance(db, str):
            engine.dispose()
    out: dict[str, list[str]] = {}
    for sid, receipt in rows:
        out.setdefault(str(sid), []).append(str(receipt))
    return out


def assert_exactly_once(db: Engine, backend_db: str | Engine,
                        station_id: str) -> dict[str, str]:
    """Every local case is acknowledged with the receipt of its one and only row on the
    backend, and the backend holds nothing else for this station. Returns id -> receipt."""
    local = local_items(db)
    remote = backend_received(backend_db, station_id)
    doubled = {sid: r for sid, r in remote.items() if len(r) != 1}
    assert not doubled, f"stored more than once: {doubled}"
    assert set(remote) == set(local), (
        f"backend-only: {sorted(set(remote) - set(local))[:5]}, "
        f"never arrived: {sorted(set(local) - set(remote))[:5]}")
    unacked = {sid: i for sid, i in local.items()
               if (i.sync_state, i.outbox_state) != ("synced", "acked")}
    assert not unacked, f"{len(unacked)} not acknowledged, e.g. {next(iter(unacked.items()))}"
    wrong = {sid for sid, i in local.items() if i.receipt_no != remote[sid][0]}
    assert not wrong, f"receipt differs from the backend's for {sorted(wrong)[:5]}"
    return {sid: r[0] for sid, r in remote.items()}


def cases_list_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """``station-app --data-dir DIR cases list --json``, run in-process."""
    from station_app.cli import main

    capsys.readouterr()
    rc = main(["--data-dir", str(data_dir), "cases", "list", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def district_stats(backend: RunningBackend) -> dict[str, dict[str, Any]]:
    """``district-backend stats --json`` against the running backend's database, by station."""
    rc, out, err = backend.cli("stats", "--json")
    assert rc == 0, err
    return {row["station_id"]: row for row in json.loads(out)}

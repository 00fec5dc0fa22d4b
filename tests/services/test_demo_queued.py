"""Queued demo cases (``demo-data --queued N``) are what IT rehearses a roll-out with: saved
since yesterday, never tried, every required scan a real file, each body the exact wire bytes
the counter would have queued."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from station_app.domain.forms import validate_form
from station_app.services.context import StationContext, open_station
from station_app.services.demo import queue_demo_cases
from station_app.services.intake import open_form
from station_app.services.saving import wire_submission
from station_app.store.engine import session_scope
from station_app.store.models import OutboxEntry, OutboxState, Submission
from station_app.sync.attachments import needed_hashes
from station_app.wire.canonical import canonical_json

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # a Wednesday, 16:00 in Wuhan
N = 200


def _open(path: Path) -> StationContext:
    return open_station(path, clock=lambda: NOW)


def test_queued_demo_cases_wait_to_be_sent_with_their_scans(tmp_path: Path) -> None:
    ctx = _open(tmp_path / "station")
    try:
        assert queue_demo_cases(ctx, N, seed=3) == N
        with session_scope(ctx.engine) as s:
            rows = list(s.exec(select(Submission, OutboxEntry).where(
                OutboxEntry.submission_id == Submission.id)).all())
    finally:
        ctx.close()
    assert len(rows) == N
    needed: set[str] = set()
    for sub, entry in rows:
        assert (sub.sync_state, sub.status, sub.receipt_no) == ("queued", None, None)
        assert (entry.state, entry.attempts, entry.next_attempt_at, entry.last_error) == (
            OutboxState.PENDING, 0, None, None)
        assert NOW - timedelta(days=2) < sub.created_at.replace(tzinfo=UTC) <= NOW
        assert validate_form(open_form(ctx, sub.bundle_code or sub.item_code),
                             sub.payload).ok
        assert entry.body == canonical_json(wire_submission(sub))
        needed |= needed_hashes(entry.body)
    assert len(needed) >= 3, "the seed should give cases whose forms require scans"
    for sha in needed:  # every scan the district will ask for is here, intact
        data = (tmp_path / "station" / "attachments" / sha).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and data.startswith(b"%PDF-")


def test_the_same_seed_queues_the_same_cases(tmp_path: Path) -> None:
    made = []
    for name in ("a", "b"):
        ctx = _open(tmp_path / name)
        try:
            queue_demo_cases(ctx, 30, seed=8)
            with session_scope(ctx.engine) as s:
                made.append(sorted(s.exec(select(Submission.id)).all()))
        finally:
            ctx.close()
    assert made[0] == made[1] and len(made[0]) == 30


def test_demo_data_can_make_an_encrypted_folder_and_fill_it_again_without_a_prompt(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from station_app.cli import main
    from station_app.commands.demo_mode import DEMO_PASSWORD, DEMO_STAFF_NO
    from station_app.services.security import sign_in
    from station_app.store.encrypt import is_plaintext

    data = tmp_path / "demo"
    assert main(["--data-dir", str(data), "demo-data", "--cases", "20", "--encrypt"]) == 0
    assert not is_plaintext(data / "station.db")
    assert main(["--data-dir", str(data), "demo-data", "--queued", "5"]) == 0  # no prompt
    out = capsys.readouterr().out
    assert "已生成 5 件演示办件" in out
    key = sign_in(data, DEMO_STAFF_NO, DEMO_PASSWORD, datetime.now(UTC)).key
    ctx = open_station(data, key=key)
    try:
        from station_app.store.queries import CaseFilter, count_submissions

        with session_scope(ctx.engine) as s:
            assert count_submissions(s, CaseFilter()) == 25
    finally:
        ctx.close()

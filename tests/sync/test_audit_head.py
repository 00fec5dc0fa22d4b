"""The district keeps every audit chain head a station reports, so a history shortened or
rewritten after a sync shows at the district — even when whoever did it held the keys."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from station_app.domain.audit_chain import GENESIS, row_hash
from station_app.services.context import StationContext, open_station
from station_app.services.security import secure_station
from station_app.services.sync_service import SyncService
from station_app.store.audit import append_audit, verify_chain
from station_app.store.engine import raw_connect, session_scope
from station_app.vault.keyfile import CHEAP_PROFILE
from tests.helpers.backend import RunningBackend
from tests.helpers.station import STATION_ID, configure


def _station(tmp_path: Path, backend: RunningBackend) -> StationContext:
    data = tmp_path / "station"
    configure(data, backend.base_url, backend.enroll(STATION_ID).secret)
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password="hanyang-2026",
                              profile=CHEAP_PROFILE)
    return open_station(data, key=admin.key, operator=admin.label)


def _sync(ctx: StationContext) -> None:
    service = SyncService.for_station(ctx)
    try:
        assert service.run_once(time.monotonic() + 30).ok
    finally:
        service.stop()


def _audit(ctx: StationContext, n: int) -> None:
    with session_scope(ctx.engine) as s:
        for i in range(n):
            append_audit(s, ctx.operator, "case.viewed", f"R{i}", {"i": i})


def _alerts(backend: RunningBackend) -> list[tuple[str, str]]:
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            return [(str(k), str(d)) for k, d in conn.execute(
                text("SELECT kind, detail FROM audit_alerts ORDER BY id"))]
    finally:
        engine.dispose()


def test_an_untouched_history_raises_nothing(tmp_path: Path, backend: RunningBackend) -> None:
    ctx = _station(tmp_path, backend)
    try:
        for _ in range(3):
            _audit(ctx, 4)
            _sync(ctx)
    finally:
        ctx.close()
    assert _alerts(backend) == []
    rc, out, _ = backend.cli("stats", "--json")
    assert rc == 0 and '"audit_alerts": 0' in out


def test_a_truncation_after_a_sync_is_noticed_by_the_district(
        tmp_path: Path, backend: RunningBackend) -> None:
    ctx = _station(tmp_path, backend)
    try:
        _audit(ctx, 10)
        _sync(ctx)
        key = ctx.db_key
        assert key is not None
        conn = raw_connect(ctx.db_path, key=key)  # someone with the key cuts the tail
        try:
            conn.execute("DROP TRIGGER audit_event_no_delete")
            last = conn.execute("SELECT max(id) FROM audit_event").fetchone()[0]
            conn.execute("DELETE FROM audit_event WHERE id > ?", (last - 6,))
            keep = conn.execute("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
                                ).fetchone()
            conn.execute("UPDATE audit_head SET seq = ?, hash = ?", keep)  # locally consistent
        finally:
            conn.close()
        _sync(ctx)
    finally:
        ctx.close()
    assert [k for k, _ in _alerts(backend)] == ["truncated"]


def test_a_rewritten_history_is_noticed_even_when_its_chain_is_recomputed(
        tmp_path: Path, backend: RunningBackend) -> None:
    ctx = _station(tmp_path, backend)
    try:
        _audit(ctx, 8)
        _sync(ctx)
        key = ctx.db_key
        assert key is not None
        conn = raw_connect(ctx.db_path, key=key)
        try:  # change one old row and recompute every hash after it: the chain verifies
            conn.execute("DROP TRIGGER audit_event_no_update")
            rows = conn.execute("SELECT id, at, actor, action, subject, detail FROM audit_event "
                                "ORDER BY id").fetchall()
            prev = GENESIS
            for rid, at, actor, action, subject, detail in rows:
                if rid == 3:
                    actor = "某人"
                digest = row_hash(prev, rid, at, actor, action, subject, json.loads(detail))
                conn.execute("UPDATE audit_event SET actor = ?, prev_hash = ?, hash = ? "
                             "WHERE id = ?", (actor, prev, digest, rid))
                prev = digest
            conn.execute("UPDATE audit_head SET hash = ?", (prev,))
        finally:
            conn.close()
        with session_scope(ctx.engine) as s:
            assert verify_chain(s)[1] is None  # locally, nothing shows
        _audit(ctx, 2)
        _sync(ctx)
    finally:
        ctx.close()
    assert [k for k, _ in _alerts(backend)] == ["rewritten"]


def test_sync_once_on_an_encrypted_folder_signs_in(
        tmp_path: Path, backend: RunningBackend, capsys: pytest.CaptureFixture[str]) -> None:
    from station_app.cli import main

    ctx = _station(tmp_path, backend)
    ctx.close()
    password = tmp_path / "admin.pass"
    password.write_text("hanyang-2026\n", encoding="utf-8")
    data = str(ctx.data_dir)
    assert main(["--data-dir", data, "sync", "--once"]) == 1
    err = capsys.readouterr().err
    assert "已加密" in err and len(err.strip().splitlines()) == 1
    rc = main(["--data-dir", data, "sync", "--once", "--staff-no", "A001",
               "--password-file", str(password)])
    out, err = capsys.readouterr()
    assert rc == 0 and "同步完成" in out, out + err

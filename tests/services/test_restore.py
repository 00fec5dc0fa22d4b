"""Never recreated over data: a damaged or missing database is refused at start with one line,
and a restore brings back every case of the newest sound backup, keeps the file it replaces,
and names the cases saved after that backup (or says it cannot tell)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from station_app.config import SETTINGS_FILE
from station_app.services.attachments import ATTACHMENT_DIR
from station_app.services.backups import CLOSE, DAILY, take_backup
from station_app.services.context import open_station
from station_app.services.restore import newest_sound_backup, restore_backup
from station_app.store.backup import NoBackupAvailable
from station_app.store.engine import DatabaseUnusable, session_scope
from station_app.store.models import AuditEvent
from station_app.store.presence import DatabaseMissing
from station_app.vault.keyfile import KEY_FILE
from station_app.vault.keys import DataKey

from .backup_support import DAMAGE, FakeClock, damage, open_at, refs_in, save_cases, secured


def _station_with_a_day_of_work(data: Path, clock: FakeClock, key: DataKey | None
                                ) -> tuple[list[str], Path, list[str]]:
    """Cases, a daily and a closing backup, then cases saved after the newest backup."""
    ctx = open_at(data, clock, key)
    try:
        backed = save_cases(ctx, 4)
        take_backup(ctx, DAILY)
        clock.advance(hours=8)
        backed += save_cases(ctx, 3)
        newest = take_backup(ctx, CLOSE).backup.path
        clock.advance(hours=1)
        after = save_cases(ctx, 2)
    finally:
        ctx.close()
    return backed, newest, after


def _content(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_database_is_refused_then_restored_from_the_newest_backup(
        tmp_path: Path, how: str) -> None:
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    backed, newest, after = _station_with_a_day_of_work(data, clock, admin.key)
    db = data / "station.db"
    damage(db, how)
    found = _content(db)

    with pytest.raises(DatabaseUnusable) as refused:
        open_at(data, clock, admin.key)
    message = str(refused.value)
    assert "\n" not in message and "station-app restore" in message
    assert _content(db) == found  # nothing was created over it, nothing changed

    offered = newest_sound_backup(data, admin.key)
    assert offered is not None and offered.path == newest and offered.cases == len(backed)
    report = restore_backup(data, admin.key, actor=admin.label, now=clock())
    assert report.backup.path == newest
    assert refs_in(db, admin.key) == set(backed)  # every case of the newest backup
    if how == "missing":
        assert report.kept_aside is None
    else:
        assert report.kept_aside is not None and report.kept_aside.read_bytes() == found
    text = "\n".join(report.lines())
    if how == "truncated":  # the case rows survive in the first pages: named by ref
        assert report.newer is not None and not report.read_whole
        assert {c.tracking_ref for c in report.newer} == set(after)
        assert all(ref in text for ref in after)
        assert not any(c.reached_district for c in report.newer)
    else:
        assert report.newer is None and "无法判断" in text

    ctx = open_at(data, clock, admin.key)  # the terminal starts again
    try:
        with session_scope(ctx.engine) as s:
            rows = s.exec(select(AuditEvent).where(AuditEvent.action == "backup.restored")).all()
            assert [(r.actor, r.subject) for r in rows] == [(admin.label, newest.name)]
    finally:
        ctx.close()


def test_a_restore_of_a_readable_database_names_each_newer_case(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    backed, newest, after = _station_with_a_day_of_work(data, clock, None)
    report = restore_backup(data, None, newest, now=clock())
    assert report.read_whole and report.newer is not None
    assert [c.tracking_ref for c in report.newer] == sorted(after)
    assert refs_in(data / "station.db", None) == set(backed)
    assert report.kept_aside is not None
    assert refs_in(report.kept_aside, None) == set(backed) | set(after)  # kept, not lost


def _wipe_pages_of(db: Path, *names: str) -> None:
    """Overwrite the root pages of these tables and indexes with zeros (page 1 survives)."""
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                              (name,)).fetchone()[0] for name in names]
    finally:
        conn.close()
    with db.open("r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * page_size)
            fh.write(bytes(page_size))


def test_when_only_the_outbox_survives_its_bodies_name_the_newer_cases(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    backed, _, after = _station_with_a_day_of_work(data, clock, None)
    _wipe_pages_of(data / "station.db", "submission", "sqlite_autoindex_submission_2")
    with pytest.raises(DatabaseUnusable):
        open_at(data, clock, None)
    report = restore_backup(data, None, now=clock())
    assert report.newer is not None and not report.read_whole
    assert [(c.tracking_ref, c.reached_district) for c in report.newer] == [
        (ref, False) for ref in sorted(after)]  # from the queued bodies: not yet sent
    assert refs_in(data / "station.db", None) == set(backed)


def test_without_a_sound_backup_nothing_is_changed(tmp_path: Path) -> None:
    data, clock = tmp_path / "station", FakeClock()
    _station_with_a_day_of_work(data, clock, None)
    for backup in (data / "backups").iterdir():
        backup.write_bytes(b"\0" * 4096)  # every backup went bad on disk
    damage(data / "station.db", "garbage")
    found = _content(data / "station.db")
    assert newest_sound_backup(data, None) is None
    with pytest.raises(NoBackupAvailable, match="未做任何改动") as info:
        restore_backup(data, None)
    assert "\n" not in str(info.value)
    assert _content(data / "station.db") == found


def test_a_new_folder_gets_a_new_database_but_a_folder_that_held_one_does_not(
        tmp_path: Path) -> None:
    data = tmp_path / "station"
    admin = secured(data)
    (data / SETTINGS_FILE).write_text('station_name = "七里一村"\n', encoding="utf-8")
    assert (data / KEY_FILE).exists()  # settings and keys.json come before the first database
    open_station(data, key=admin.key).close()  # so they do not stop it being created
    (data / "station.db").unlink()
    with pytest.raises(DatabaseMissing, match="建库标记") as info:
        open_station(data, key=admin.key)
    assert "不见了" in str(info.value) and not (data / "station.db").exists()

    other = tmp_path / "other"
    ctx = open_station(other)
    ctx.close()
    (other / "station.db.created").unlink()  # even without the marker...
    (other / ATTACHMENT_DIR).mkdir()
    (other / ATTACHMENT_DIR / ("ab" * 32)).write_bytes(b"scan")  # ...scans show it held data
    (other / "station.db").write_bytes(b"")
    with pytest.raises(DatabaseMissing, match=r"0 字节.*文件夹 attachments"):
        open_station(other)
    assert (other / "station.db").stat().st_size == 0

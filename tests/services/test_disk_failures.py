"""A failing disk under the counter: full, read-only, locked by a stray process, or limited by
``RLIMIT_FSIZE``. Each time the worker gets one Chinese line naming the folder and what to do
(never "(sqlite3.OperationalError) database or disk is full"), every case saved before is
there and whole, nothing is half-written, and the terminal goes on once the disk is fixed.

Real file systems: a tmpfs of a few megabytes, a read-only bind mount (root; see
tests/helpers/disks.py), a second process holding the write lock.
"""

from __future__ import annotations

import errno
import json
import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from station_app.services import intake
from station_app.services.attachments import AttachmentError, store_attachment_bytes
from station_app.services.context import BACKUP_DIR, DB_FILE, StationContext, open_station
from station_app.store.engine import BUSY_TIMEOUT_MS, open_engine
from station_app.store.errors import (
    DatabaseLocked,
    DiskFailing,
    DiskFull,
    FolderNotPermitted,
    ReadOnlyFolder,
    ResourceError,
    StoreError,
    resource_error,
)
from station_app.store.migrate import prepare_database
from station_app.vault.keys import DataKey
from tests.helpers.disks import (
    MiB,
    assert_intact,
    child_env,
    fill_disk,
    leftovers,
    read_only,
    small_disk,
    stray_writer,
)
from tests.helpers.station import RS04_TICKED, RS04_VALUES
from tests.helpers.sync_harness import save_rs04

pytestmark = pytest.mark.timeout(180)

FSIZE_CHILD = Path(__file__).with_name("fsize_child.py")
SAVE_CAP = 5000  # a 64 KiB gap fills long before this


def _submit(ctx: StationContext) -> str:
    """Save an RS04 case through the intake use case, as the 提交 button does."""
    return intake.submit(ctx, intake.open_form(ctx, "RS04"), RS04_VALUES, RS04_TICKED).id


def _assert_one_line(message: str, *words: str) -> None:
    assert "\n" not in message and message.strip() == message, message
    for word in words:
        assert word in message, (word, message)
    for english in ("sqlite", "OperationalError", "Errno", "disk is full", "Traceback"):
        assert english not in message, message


def test_saving_on_a_full_disk_says_so_and_keeps_every_case(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 8 * MiB) as disk:
        ctx = open_station(disk / "station")
        try:
            saved = {_submit(ctx) for _ in range(3)}
            filler = fill_disk(disk, leave=64 * 1024)
            with pytest.raises(DiskFull) as caught:
                for _ in range(SAVE_CAP):
                    saved.add(_submit(ctx))
            assert isinstance(caught.value, StoreError)  # what the intake screen catches
            _assert_one_line(str(caught.value), "磁盘已满", str(ctx.data_dir), "清理",
                             "已保存的数据不受影响")
            assert_intact(ctx.db_path, saved)
            filler.unlink()  # IT frees space; the same terminal saves again
            saved.add(_submit(ctx))
            assert_intact(ctx.db_path, saved)
        finally:
            ctx.close()


def test_an_encrypted_database_on_a_full_disk_says_the_same(tmp_path: Path) -> None:
    key = DataKey.generate().sqlcipher_key()
    with small_disk(tmp_path / "disk", 8 * MiB) as disk:
        db_path = disk / "station" / DB_FILE
        db_path.parent.mkdir()
        prepare_database(db_path, db_path.parent / BACKUP_DIR, key=key)
        engine = open_engine(db_path, key=key)
        try:
            saved = set(save_rs04(engine, 2))
            filler = fill_disk(disk, leave=64 * 1024)
            with pytest.raises(DiskFull) as caught:
                for _ in range(SAVE_CAP):
                    saved.update(save_rs04(engine, 1))
            _assert_one_line(str(caught.value), "磁盘已满", str(db_path.parent))
            assert_intact(db_path, saved, key=key)
            filler.unlink()
            saved.update(save_rs04(engine, 1))
            assert_intact(db_path, saved, key=key)
        finally:
            engine.dispose()


def test_a_scan_on_a_full_disk_is_refused_whole(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 4 * MiB) as disk:
        data_dir = disk / "station"
        kept = store_attachment_bytes(data_dir, b"%PDF-1.4 first scan", "身份证.pdf",
                                      "application/pdf")
        filler = fill_disk(disk, leave=256 * 1024)
        scan = b"%PDF-1.4\n" + bytes(range(256)) * 4096  # 1 MiB
        with pytest.raises(AttachmentError) as caught:
            store_attachment_bytes(data_dir, scan, "户口簿.pdf", "application/pdf")
        _assert_one_line(str(caught.value), "户口簿.pdf", "磁盘已满", str(data_dir))
        stored = sorted(p.name for p in (data_dir / "attachments").iterdir())
        assert stored == [kept["sha256"]] and leftovers(data_dir) == []
        filler.unlink()
        again = store_attachment_bytes(data_dir, scan, "户口簿.pdf", "application/pdf")
        assert (data_dir / "attachments" / str(again["sha256"])).read_bytes() == scan


def _fsize_child(data_dir: Path, extra: int, what: str) -> dict[str, object]:
    proc = subprocess.run([sys.executable, str(FSIZE_CHILD), str(data_dir), str(extra), what],
                          capture_output=True, text=True, timeout=120, env=child_env(),
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_a_file_size_limit_while_saving_keeps_the_database_whole(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    ctx = open_station(data_dir)
    try:
        before = {_submit(ctx) for _ in range(2)}
    finally:
        ctx.close()
    result = _fsize_child(data_dir, 96 * 1024, "save")
    # EFBIG on the page write: SQLite says "disk full" or "disk I/O error" depending on
    # whether part of the page fitted; both are a disk failure in one line
    assert result["error"] in (DiskFull.__name__, DiskFailing.__name__), result
    assert result["cause"] == "OperationalError"
    _assert_one_line(str(result["message"]), str(data_dir), "空间")
    ids = result["saved"]
    assert isinstance(ids, list)
    saved = before | {str(i) for i in ids}
    assert_intact(data_dir / DB_FILE, saved)
    ctx = open_station(data_dir)  # without the limit, the station goes on
    try:
        saved.add(_submit(ctx))
    finally:
        ctx.close()
    assert_intact(data_dir / DB_FILE, saved)


def test_a_file_size_limit_while_storing_a_scan_leaves_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    kept = store_attachment_bytes(data_dir, b"%PDF-1.4 small", "a.pdf", "application/pdf")
    result = _fsize_child(data_dir, 4096, "attach")
    assert result["error"] == AttachmentError.__name__ and result["cause"] == "OSError"
    _assert_one_line(str(result["message"]), "户口簿.pdf", "磁盘已满", str(data_dir))
    assert [p.name for p in (data_dir / "attachments").iterdir()] == [kept["sha256"]]
    assert leftovers(data_dir) == []


def test_a_read_only_folder_is_named_not_called_corrupt(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    ctx = open_station(data_dir)
    try:
        saved = {_submit(ctx) for _ in range(2)}
    finally:
        ctx.close()
    files = sorted(p.name for p in data_dir.iterdir())
    with read_only(data_dir):
        with pytest.raises(ReadOnlyFolder) as opened:
            open_station(data_dir)  # the GUI and every command start here
        _assert_one_line(str(opened.value), "只读", str(data_dir), "可写")
        engine = open_engine(data_dir / DB_FILE)  # a terminal already past its start-up
        try:
            with pytest.raises(ReadOnlyFolder):
                save_rs04(engine, 1)
        finally:
            engine.dispose()
        with pytest.raises(AttachmentError, match="只读"):
            store_attachment_bytes(data_dir, b"%PDF-1.4 x", "x.pdf", "application/pdf")
    assert sorted(p.name for p in data_dir.iterdir()) == files
    assert_intact(data_dir / DB_FILE, saved)


def test_a_stray_write_lock_is_named_and_nothing_is_half_saved(tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    ctx = open_station(data_dir)
    try:
        saved = {_submit(ctx) for _ in range(2)}
        with stray_writer(ctx.db_path), pytest.raises(DatabaseLocked) as caught:
            _submit(ctx)
        _assert_one_line(str(caught.value), str(ctx.db_path), "另一个程序占用",
                         f"{BUSY_TIMEOUT_MS // 1000} 秒", "关闭")
        assert_intact(ctx.db_path, saved)
        saved.add(_submit(ctx))  # the lock is gone: saving works again
        assert_intact(ctx.db_path, saved)
    finally:
        ctx.close()


@pytest.mark.parametrize(("code", "kind"), [
    (errno.ENOSPC, DiskFull), (errno.EDQUOT, DiskFull), (errno.EFBIG, DiskFull),
    (errno.EROFS, ReadOnlyFolder), (errno.EIO, DiskFailing)])
def test_operating_system_errors_are_translated(tmp_path: Path, code: int,
                                                kind: type[ResourceError]) -> None:
    found = resource_error(OSError(code, "english text"), tmp_path)
    assert isinstance(found, kind) and str(tmp_path) in str(found)


def test_not_permitted_names_the_account(tmp_path: Path) -> None:
    found = resource_error(PermissionError(errno.EACCES, "denied"), tmp_path)
    account = pwd.getpwuid(os.geteuid()).pw_name
    assert isinstance(found, FolderNotPermitted) and f"（{account}）" in str(found)


def test_errors_that_are_not_about_the_disk_are_left_alone(tmp_path: Path) -> None:
    assert resource_error(FileNotFoundError(errno.ENOENT, "gone"), tmp_path) is None
    assert resource_error(ValueError("bug"), tmp_path) is None
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x UNIQUE)")
    conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as dup:
        conn.execute("INSERT INTO t VALUES (1)")
    assert resource_error(dup.value, tmp_path) is None
    assert resource_error(IntegrityError("INSERT", {}, dup.value), tmp_path) is None
    with pytest.raises(sqlite3.OperationalError) as bad:
        conn.execute("SELECT nope FROM t")
    assert resource_error(bad.value, tmp_path) is None

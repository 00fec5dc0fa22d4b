"""`station-app sync --once` and `doctor` when the machine, not the network, is the problem: a
read-only data folder, an account without permission, a database held by a stray process, a
clock far off, a district whose disk is full. Each ends in one Chinese line (no traceback),
nothing is sent or changed that should not be, and the next run after the fix delivers every
case exactly once.

Real processes where a traceback would show (the read-only folder is a bind mount in the
child's own mount namespace; the account is ``nobody`` via setpriv: tests/helpers/disks.py).
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from station_app.cli import main
from station_app.services.attachments import store_attachment_bytes
from station_app.services.context import DB_FILE, open_station
from station_app.services.saving import NewSubmission, save_submission
from station_app.store.engine import open_engine
from tests.helpers.backend import RunningBackend, serve_backend
from tests.helpers.disks import (
    MiB,
    as_nobody,
    assert_intact,
    child_env,
    fill_disk,
    leftovers,
    read_only_for,
    small_disk,
    station_cli,
    stray_writer,
)
from tests.helpers.station import RS04_TICKED, RS04_VALUES, STATION_ID, configure
from tests.helpers.sync_harness import (
    CATALOGUE_VERSION,
    assert_exactly_once,
    backend_received,
    local_items,
    save_rs04,
)

pytestmark = pytest.mark.timeout(180)


def _station(data_dir: Path, backend: RunningBackend, secret: str, cases: int) -> set[str]:
    """A configured station folder with ``cases`` queued cases (closed again)."""
    configure(data_dir, backend.base_url, secret)
    ctx = open_station(data_dir)
    try:
        return set(save_rs04(ctx.engine, cases))
    finally:
        ctx.close()


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=child_env(),
                          check=False)


def _one_error_line(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 1, proc
    assert proc.stdout == "" and "Traceback" not in proc.stderr, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), proc.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def _doctor_lines(proc: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc
    lines = proc.stdout.splitlines()
    assert len(lines) == 7, proc.stdout  # configuration … 朗读 (no card reader configured)
    return {line.split(" ", 1)[1].split("：", 1)[0]: line for line in lines}


@contextlib.contextmanager
def _engine(data_dir: Path) -> Iterator[Engine]:
    engine = open_engine(data_dir / DB_FILE)
    try:
        yield engine
    finally:
        engine.dispose()


def _delivered_once(data_dir: Path, backend: RunningBackend) -> set[str]:
    """The cases delivered (each exactly once, acknowledged here under its receipt)."""
    with _engine(data_dir) as engine:
        return set(assert_exactly_once(engine, backend.db_url, STATION_ID))


def _unchanged(data_dir: Path, files: list[str], saved: set[str]) -> None:
    assert sorted(p.name for p in data_dir.iterdir()) == files
    assert_intact(data_dir / DB_FILE, saved)


def test_sync_and_doctor_on_a_read_only_folder(tmp_path: Path, backend: RunningBackend,
                                               station_secret: str) -> None:
    data_dir = tmp_path / "station"
    saved = _station(data_dir, backend, station_secret, 2)
    files = sorted(p.name for p in data_dir.iterdir())

    sync = _run(read_only_for(data_dir, station_cli(data_dir, "sync", "--once")))
    _one_error_line(sync, "只读", str(data_dir), "可写")
    doctor = _doctor_lines(_run(read_only_for(data_dir, station_cli(data_dir, "doctor"))))
    assert doctor["目录"].startswith("✗") and "只读" in doctor["目录"]
    integrity = doctor["数据库完整性"]  # the folder is named, the file is not called damaged
    assert integrity.startswith("✗") and "只读" in integrity and "损坏" not in integrity
    assert doctor["配置"].startswith("✓") and doctor["后台可达"].startswith("✓")

    _unchanged(data_dir, files, saved)
    assert backend_received(backend.db_url, STATION_ID) == {}
    assert main(["--data-dir", str(data_dir), "sync", "--once"]) == 0  # writable again
    assert _delivered_once(data_dir, backend) == saved


def test_sync_and_doctor_without_permission(tmp_path: Path, backend: RunningBackend,
                                            station_secret: str) -> None:
    data_dir = tmp_path / "station"
    saved = _station(data_dir, backend, station_secret, 2)
    files = sorted(p.name for p in data_dir.iterdir())

    sync = _run(as_nobody(station_cli(data_dir, "sync", "--once")))
    _one_error_line(sync, "当前账户（nobody）没有读写", str(data_dir), "权限")
    doctor = _doctor_lines(_run(as_nobody(station_cli(data_dir, "doctor"))))
    assert doctor["目录"].startswith("✗") and "（nobody）没有读写" in doctor["目录"]
    assert "Traceback" not in doctor["数据库完整性"]

    _unchanged(data_dir, files, saved)
    assert backend_received(backend.db_url, STATION_ID) == {}


def test_sync_names_a_stray_writer_then_delivers_once_it_is_gone(
        tmp_path: Path, backend: RunningBackend, station_secret: str) -> None:
    data_dir = tmp_path / "station"
    saved = _station(data_dir, backend, station_secret, 3)
    with stray_writer(data_dir / DB_FILE):
        sync = _run(station_cli(data_dir, "sync", "--once", "--no-catalogue"))
    _one_error_line(sync, "被另一个程序占用", str(data_dir / DB_FILE), "关闭")
    assert_intact(data_dir / DB_FILE, saved)
    assert backend_received(backend.db_url, STATION_ID) == {}

    again = _run(station_cli(data_dir, "sync", "--once", "--no-catalogue"))
    assert again.returncode == 0 and "区后台受理：3 件" in again.stdout, again
    assert _delivered_once(data_dir, backend) == saved


@pytest.mark.parametrize("offset", [3600, -3600])
def test_a_clock_far_off_stops_sync_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], offset: int) -> None:
    with serve_backend(tmp_path / "district", clock=lambda: time.time() + offset) as skewed:
        data_dir = tmp_path / "station"
        saved = _station(data_dir, skewed, skewed.enroll(STATION_ID).secret, 2)
        rc = main(["--data-dir", str(data_dir), "sync", "--once"])
        out, err = capsys.readouterr()
        assert rc == 1 and out == "", out
        lines = err.strip().splitlines()
        direction = "慢" if offset > 0 else "快"  # the district is ahead: this clock is slow
        said = re.search(f"本机时钟比区后台{direction} (\\d+) 秒", lines[0]) if lines else None
        assert len(lines) == 1 and said and abs(int(said[1]) - abs(offset)) <= 5, err
        assert "校准本机时钟" in lines[0] and "未发送任何办件" in lines[0]
        assert backend_received(skewed.db_url, STATION_ID) == {}
        with _engine(data_dir) as engine:
            assert {i.outbox_state for i in local_items(engine).values()} == {"pending"}
        assert_intact(data_dir / DB_FILE, saved)


def test_a_clock_drifting_is_a_warning_and_the_sync_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve_backend(tmp_path / "district", clock=lambda: time.time() + 120) as skewed:
        data_dir = tmp_path / "station"
        saved = _station(data_dir, skewed, skewed.enroll(STATION_ID).secret, 2)
        rc = main(["--data-dir", str(data_dir), "sync", "--once", "--no-catalogue"])
        out, _ = capsys.readouterr()
        assert rc == 0, out
        assert re.fullmatch(r"注意：本机时钟比区后台慢 1[12]\d 秒，.*", out.splitlines()[0]), out
        assert "尽快校准" in out and "区后台受理：2 件" in out
        assert set(backend_received(skewed.db_url, STATION_ID)) == saved


def test_a_full_district_disk_keeps_the_case_queued_until_there_is_room(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = b"%PDF-1.4\n" + bytes(range(256)) * 4096  # 1 MiB
    with small_disk(tmp_path / "disk", 6 * MiB) as disk, \
            serve_backend(disk) as district:
        data_dir = tmp_path / "station"
        configure(data_dir, district.base_url, district.enroll(STATION_ID).secret)
        ctx = open_station(data_dir)  # the database first, as the terminal makes it
        try:
            sha = str(store_attachment_bytes(data_dir, scan, "户口簿.pdf", "application/pdf")
                      ["sha256"])
            case = save_submission(ctx.engine, NewSubmission(
                item_code="RS04", catalogue_version=CATALOGUE_VERSION, form_version="1",
                payload=RS04_VALUES, operator="王帮办", materials=RS04_TICKED,
                scans={RS04_TICKED[0]: [sha]}))
        finally:
            ctx.close()
        filler = fill_disk(disk, leave=384 * 1024)

        rc = main(["--data-dir", str(data_dir), "sync", "--once", "--no-catalogue"])
        out, err = capsys.readouterr()
        assert rc == 1 and "Traceback" not in err
        assert "HTTP 507" in out and "区后台存储空间已满" in out and "待同步：1 件" in out, out
        assert backend_received(district.db_url, STATION_ID) == {}
        assert [p for p in district.attachment_dir.rglob("*") if p.is_file()] == []
        assert leftovers(district.attachment_dir) == []

        filler.unlink()
        rc = main(["--data-dir", str(data_dir), "sync", "--once", "--no-catalogue"])
        out, _ = capsys.readouterr()
        assert rc == 0 and "上传附件：1 个" in out and "区后台受理：1 件" in out, out
        assert _delivered_once(data_dir, district) == {case.id}
        assert (district.attachment_dir / sha[:2] / sha).read_bytes() == scan


@pytest.mark.parametrize("room_kib", [8, 64, 96, 128, 256])
def test_a_full_station_disk_during_sync_loses_and_duplicates_nothing(
        tmp_path: Path, backend: RunningBackend, station_secret: str,
        capsys: pytest.CaptureFixture[str], room_kib: int) -> None:
    """However little room is left (none to open the database; enough to send but not to
    record the district's answers; enough), one line, and nothing lost or sent twice once
    there is room again: answers that could not be recorded come back as duplicates with
    their original receipts."""
    with small_disk(tmp_path / "disk", 8 * MiB) as disk:
        data_dir = disk / "station"
        saved = _station(data_dir, backend, station_secret, 8)
        filler = fill_disk(disk, leave=room_kib * 1024)

        rc = main(["--data-dir", str(data_dir), "sync", "--once", "--no-catalogue"])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "DiskFull" not in out + err and "Error:" not in out + err  # words, not classes
        if rc != 0:
            assert "磁盘已满" in out + err and str(data_dir) in out + err, out + err
            assert all(len(line) < 400 for line in (out + err).splitlines())

        filler.unlink()
        assert_intact(data_dir / DB_FILE, saved)
        rc = main(["--data-dir", str(data_dir), "sync", "--once", "--no-catalogue"])
        out, _ = capsys.readouterr()
        assert rc == 0 and "待同步：0 件" in out, out
        assert _delivered_once(data_dir, backend) == saved

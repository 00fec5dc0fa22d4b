"""The command line on a lost or damaged database: `sync --once`, `doctor` and `cases list`
refuse in one line and change nothing; `backup` and `restore [--list] [FILE]` (administrators
only, signed in with the key file alone) are the way out."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_app.cli import main
from station_app.services.backups import CLOSE, DAILY, take_backup
from station_app.services.security import add_operator
from station_app.vault.keyfile import Role
from tests.helpers.station import configure

from .backup_support import (
    DAMAGE,
    PASSWORD,
    FakeClock,
    damage,
    open_at,
    refs_in,
    save_cases,
    secured,
)

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return rc, out.strip(), err.strip()


def _content(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize("how", DAMAGE)
def test_sync_doctor_and_cases_refuse_a_lost_database_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, how: str) -> None:
    data, clock = tmp_path / "station", FakeClock()
    configure(data, "http://127.0.0.1:9", SECRET)
    ctx = open_at(data, clock, None)
    try:
        save_cases(ctx, 12)
        take_backup(ctx, DAILY)
    finally:
        ctx.close()
    db = data / "station.db"
    damage(db, how)
    found = _content(db)

    rc, out, err = _run(capsys, data, "sync", "--once", "--timeout", "5")
    assert rc == 1 and out == ""  # never "同步完成 待同步：0 件"
    assert len(err.splitlines()) == 1 and err.startswith("错误：数据库文件")
    assert "station-app restore" in err

    rc, out, _ = _run(capsys, data, "doctor", "--timeout", "1")
    database = [line for line in out.splitlines() if "数据库完整性" in line]
    assert rc == 1 and len(database) == 1
    assert database[0].startswith("✗") and "station-app restore" in database[0]

    rc, out, err = _run(capsys, data, "cases", "list")
    assert rc == 1 and out == "" and len(err.splitlines()) == 1
    assert "station-app restore" in err
    assert _content(db) == found  # nothing was recreated over it
    assert sorted(p.name for p in data.iterdir() if p.name.startswith("station.db")) == (
        ["station.db.created"] if how == "missing" else ["station.db", "station.db.created"])

    rc, out, err = _run(capsys, data, "restore")  # a folder from before encryption: no accounts
    assert rc == 0, err
    assert refs_in(db, None) and "已从备份" in out.splitlines()[0]
    rc, out, _ = _run(capsys, data, "cases", "list")
    assert rc == 0 and out.endswith("共 12 件")


@pytest.fixture
def station(tmp_path: Path) -> tuple[Path, FakeClock, list[str]]:
    """An encrypted station with an administrator and a worker, two backups and two cases
    saved after the newest one."""
    data, clock = tmp_path / "station", FakeClock()
    admin = secured(data)
    add_operator(data, admin, staff_no="W002", name="李强", role=Role.WORKER,
                 password="counter-pass-1")
    (tmp_path / "admin.pass").write_text(PASSWORD + "\n", encoding="utf-8")
    (tmp_path / "worker.pass").write_text("counter-pass-1\n", encoding="utf-8")
    ctx = open_at(data, clock, admin.key)
    try:
        save_cases(ctx, 3)
        take_backup(ctx, DAILY)
        clock.advance(hours=9)
        save_cases(ctx, 2)
        take_backup(ctx, CLOSE)
        clock.advance(hours=1)
        after = save_cases(ctx, 2)
    finally:
        ctx.close()
    return data, clock, after


def _as(data: Path, who: str) -> tuple[str, ...]:
    staff = {"admin": "A001", "worker": "W002"}[who]
    return ("--staff-no", staff, "--password-file", str(data.parent / f"{who}.pass"))


def test_backup_and_restore_are_for_administrators(
        capsys: pytest.CaptureFixture[str], station: tuple[Path, FakeClock, list[str]]) -> None:
    data, _, _ = station
    for command in (("backup",), ("restore", "--list"), ("restore",)):
        rc, out, err = _run(capsys, data, *command, *_as(data, "worker"))
        assert rc == 1 and out == "" and "只有管理员可以执行" in err, command
        assert len(err.splitlines()) == 1
    rc, out, err = _run(capsys, data, "backup")
    assert rc == 1 and "--staff-no" in err

    rc, out, err = _run(capsys, data, "backup", *_as(data, "admin"))
    assert rc == 0, err
    assert out.startswith("已备份（手动备份）：") and "7 件办件" in out and "校验通过" in out


def test_restore_lists_the_backups_and_restores_the_newest_naming_newer_cases(
        capsys: pytest.CaptureFixture[str], station: tuple[Path, FakeClock, list[str]]) -> None:
    data, _, after = station
    rc, out, err = _run(capsys, data, "restore", "--list", *_as(data, "admin"))
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "时间\t原因\t大小\t办件\t文件" and lines[-1] == "共 2 份备份"
    assert lines[1].split("\t")[:2] == ["2026-03-02 18:00:00", "关闭终端时"]
    assert lines[2].split("\t")[:2] == ["2026-03-02 09:00:00", "每日备份"]
    assert [line.split("\t")[3] for line in lines[1:3]] == ["5 件办件", "3 件办件"]
    assert all(line.split("\t")[2].endswith(" MB") for line in lines[1:3])

    rc, _, err = _run(capsys, data, "restore", *_as(data, "admin"))
    assert rc == 1 and "完好" in err and "--force" in err  # a sound database is not replaced

    damage(data / "station.db", "truncated")
    rc, out, err = _run(capsys, data, "restore", *_as(data, "admin"))
    assert rc == 0, err
    assert "18:00:00" in out.splitlines()[0] and "原文件已另存为" in out
    assert "该备份之后保存的 2 件办件不在备份中" in out
    assert all(ref in out for ref in after)
    assert _run(capsys, data, "audit", "verify", *_as(data, "admin"))[0] == 0


def test_restore_of_a_named_file_checks_it_first(
        capsys: pytest.CaptureFixture[str], station: tuple[Path, FakeClock, list[str]],
        tmp_path: Path) -> None:
    data, _, _ = station
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_bytes(b"\0" * 8192)
    before = (data / "station.db").read_bytes()
    rc, out, err = _run(capsys, data, "restore", "--force", str(bogus), *_as(data, "admin"))
    assert rc == 1 and out == "" and len(err.splitlines()) == 1
    assert "不能用于恢复" in err and "未做任何改动" in err
    assert (data / "station.db").read_bytes() == before

    daily = sorted((data / "backups").iterdir())[0]  # the older, 09:00 one
    rc, out, err = _run(capsys, data, "restore", "--force", str(daily), *_as(data, "admin"))
    assert rc == 0, err
    assert "09:00:00" in out and "该备份之后保存的 4 件办件不在备份中" in out

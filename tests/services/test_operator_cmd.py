"""`station-app operator init | add | list | disable`: accounts managed from the command line,
each change audited, passwords never on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from station_app.cli import main
from station_app.services.context import open_station
from station_app.services.security import recover
from station_app.store.encrypt import is_plaintext
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return rc, out.strip(), err.strip()


def _password(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.pass"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_init_add_list_disable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "station"
    ctx = open_station(data)  # a folder from before encryption, with a database
    ctx.close()
    assert is_plaintext(data / "station.db")
    admin_pw = _password(tmp_path, "admin", "hanyang-2026")
    rc, out, err = _run(capsys, data, "operator", "init", "--new-staff-no", "A001",
                        "--new-name", "王芳", "--new-password-file", admin_pw)
    assert rc == 0, err
    recovery_line = out.splitlines()[-1]
    assert len(recovery_line.split("-")) == 13 and not is_plaintext(data / "station.db")
    recover(data, recovery_line)  # the printed key opens the folder

    as_admin = ("--staff-no", "A001", "--password-file", admin_pw)
    worker_pw = _password(tmp_path, "worker", "counter-pass-1")
    rc, out, err = _run(capsys, data, "operator", "add", "--new-staff-no", "W002",
                        "--new-name", "李强", "--new-password-file", worker_pw, *as_admin)
    assert rc == 0 and "李强（W002，工作人员）" in out, err
    as_worker = ("--staff-no", "W002", "--password-file", worker_pw)
    rc, _, err = _run(capsys, data, "operator", "add", "--new-staff-no", "W003",
                      "--new-name", "赵敏", "--new-password-file", worker_pw, *as_worker)
    assert rc == 1 and "不是管理员" in err and "\n" not in err

    rc, out, _ = _run(capsys, data, "operator", "list", *as_admin)
    assert rc == 0 and out.splitlines() == ["A001\t王芳\t管理员", "W002\t李强\t工作人员"]

    rc, _, err = _run(capsys, data, "operator", "disable", "A001", *as_admin)
    assert rc == 1 and "最后一个管理员" in err
    assert _run(capsys, data, "operator", "disable", "W002", *as_admin)[0] == 0
    rc, _, err = _run(capsys, data, "audit", "verify", *as_worker)
    assert rc == 1 and "工号或密码不正确" in err

    rc, out, _ = _run(capsys, data, "audit", "verify", *as_admin)
    assert rc == 0
    ctx = open_station(data, key=recover(data, recovery_line))
    try:
        with session_scope(ctx.engine) as s:
            actions = [a for a in s.exec(select(AuditEvent.action)
                                         .order_by(col(AuditEvent.id))).all()
                       if not a.startswith("auth.") and not a.startswith("security.index")]
    finally:
        ctx.close()
    assert actions == ["security.secured", "operator.saved", "operator.disabled"]


def test_init_twice_and_missing_password_file_are_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "station"
    pw = _password(tmp_path, "admin", "hanyang-2026")
    init = ("operator", "init", "--new-staff-no", "A001", "--new-name", "王芳")
    assert _run(capsys, data, *init, "--new-password-file", pw)[0] == 0
    rc, out, err = _run(capsys, data, *init, "--new-password-file", pw)
    assert rc == 1 and not out and "已设置过管理员" in err
    rc, _, err = _run(capsys, tmp_path / "other", *init, "--new-password-file",
                      str(tmp_path / "nope"))
    assert rc == 1 and err.startswith("错误：无法读取新密码文件")
    short = _password(tmp_path, "short", "abc")
    rc, _, err = _run(capsys, tmp_path / "third", *init, "--new-password-file", short)
    assert rc == 1 and "至少 8 位" in err


def test_setup_on_a_secured_folder_is_for_administrators(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "station"
    admin_pw = _password(tmp_path, "admin", "hanyang-2026")
    assert _run(capsys, data, "operator", "init", "--new-staff-no", "A001", "--new-name",
                "王芳", "--new-password-file", admin_pw)[0] == 0
    worker_pw = _password(tmp_path, "worker", "counter-pass-1")
    assert _run(capsys, data, "operator", "add", "--new-staff-no", "W002", "--new-name", "李强",
                "--new-password-file", worker_pw, "--staff-no", "A001",
                "--password-file", admin_pw)[0] == 0
    setting = ("setup", "--station-id", "QDK01", "--backend-url", "https://district.invalid",
               "--secret", "Zk3vQ9-x_7LmN2pR8sT4")
    rc, _, err = _run(capsys, data, *setting)
    assert rc == 1 and "已加密" in err
    rc, _, err = _run(capsys, data, *setting, "--staff-no", "W002", "--password-file", worker_pw)
    assert rc == 1 and "不是管理员" in err and not (data / "settings.toml").exists()
    rc, _, err = _run(capsys, data, *setting, "--staff-no", "A001", "--password-file", admin_pw)
    assert rc == 0, err

"""`station-app setup | sync --once | doctor | cases list` against the real backend, run
in-process through station_app.cli.main (and `sync --once` once as a real process)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from station_app.cli import main
from station_app.config import SECRET_FILE, load_secret, load_settings
from station_app.instance_lock import InstanceLock
from station_app.services import intake
from station_app.services.context import open_station
from tests.helpers.station import RS04_TICKED, RS04_VALUES

pytestmark = pytest.mark.timeout(90)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def setup(capsys: Any, data_dir: Path, url: str, secret: str, *extra: str) -> None:
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "setup", "--station-id", "QDK01",
                       "--backend", url, f"--secret={secret}", *extra)  # may start with "-"
    assert rc == 0, err
    assert secret not in out


def save_cases(data_dir: Path, n: int) -> list[str]:
    ctx = open_station(data_dir)
    try:
        form = intake.open_form(ctx, "RS04")
        return [intake.submit(ctx, form, RS04_VALUES, RS04_TICKED).id for _ in range(n)]
    finally:
        ctx.close()


def test_setup_writes_settings_and_a_private_secret(capsys: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "s"
    setup(capsys, data_dir, "https://district.example/api/", "a" * 43, "--name", "琴断口",
          "--interval", "120")
    settings = load_settings(data_dir)
    assert (settings.station_id, settings.backend_url, settings.station_name,
            settings.sync_interval_seconds) == ("QDK01", "https://district.example/api",
                                                "琴断口", 120)
    assert load_secret(data_dir) == "a" * 43
    assert stat.S_IMODE(os.stat(data_dir / SECRET_FILE).st_mode) == 0o600


@pytest.mark.parametrize(("args", "option"), [
    (["--station-id", "qdk-01"], "--station-id"),
    (["--backend", "ftp://x"], "--backend"),
    (["--backend", "http://"], "--backend"),
    (["--secret", "short"], "--secret"),
    (["--secret", "has space " + "x" * 20], "--secret"),
    (["--interval", "5"], "--interval"),
    (["--name", " "], "--name"),
    (["--ca-bundle", "/nonexistent/ca.pem"], "--ca-bundle"),
])
def test_setup_refuses_bad_values_naming_the_option(capsys: Any, tmp_path: Path,
                                                    args: list[str], option: str) -> None:
    base = {"--station-id": "QDK01", "--backend": "http://127.0.0.1:9", "--secret": "b" * 43}
    base[args[0]] = args[1]
    argv = [x for kv in base.items() for x in kv] + (args if args[0] not in base else [])
    rc, out, err = run(capsys, "--data-dir", str(tmp_path / "s"), "setup", *argv)
    assert rc == 2 and not out
    assert len(err.strip().splitlines()) == 1 and option in err
    assert not (tmp_path / "s" / SECRET_FILE).exists()


def test_setup_refuses_a_file_that_is_not_a_certificate(capsys: Any, tmp_path: Path) -> None:
    fake = tmp_path / "ca.pem"
    fake.write_text("hello", encoding="utf-8")
    rc, _, err = run(capsys, "--data-dir", str(tmp_path / "s"), "setup", "--station-id",
                     "QDK01", "--backend", "https://x.example", "--secret", "c" * 43,
                     "--ca-bundle", str(fake))
    assert rc == 2 and "--ca-bundle" in err and "PEM" in err


def test_sync_once_then_cases_list(capsys: Any, tmp_path: Path, backend: Any,
                                   station_secret: str) -> None:
    data_dir = tmp_path / "s"
    setup(capsys, data_dir, backend.base_url, station_secret)
    sids = save_cases(data_dir, 2)
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "sync", "--once")
    assert rc == 0, err
    lines = out.splitlines()
    for expected in ("发出办件：2 件", "区后台受理：2 件", "拉取状态变更：2 条",
                     "事项目录：已更新到 2026.11.1", "待同步：0 件", "需处理：0 件", "同步完成"):
        assert expected in lines, out
    rc, out, err = run(capsys, "--data-dir", str(data_dir), "cases", "list", "--json")
    assert rc == 0, err
    cases = json.loads(out)
    assert sorted(c["submission_id"] for c in cases) == sorted(sids)
    for c in cases:
        assert (c["sync_state"], c["status"], c["item_code"]) == ("synced", "受理", "RS04")
        assert c["receipt_no"].startswith("HY-QDK01-") and c["tracking_ref"].startswith("HY")
        assert c["attention_reason"] is None and c["created_at"].endswith("+00:00")
    assert RS04_VALUES["id_number"] not in out and "002X" not in out and "测试" not in out


def test_sync_once_refuses_a_folder_in_use(capsys: Any, tmp_path: Path, backend: Any,
                                           station_secret: str) -> None:
    data_dir = tmp_path / "s"
    setup(capsys, data_dir, backend.base_url, station_secret)
    with InstanceLock(data_dir):
        rc, out, err = run(capsys, "--data-dir", str(data_dir), "sync", "--once")
    assert rc == 1 and not out and len(err.strip().splitlines()) == 1
    assert "另一个终端" in err


def test_sync_once_unconfigured_or_unreachable(capsys: Any, tmp_path: Path) -> None:
    rc, _, err = run(capsys, "--data-dir", str(tmp_path / "new"), "sync", "--once")
    assert rc == 1 and "未配置" in err and "station-app setup" in err
    setup(capsys, tmp_path / "off", "http://127.0.0.1:9", "d" * 43)
    save_cases(tmp_path / "off", 1)
    rc, out, _ = run(capsys, "--data-dir", str(tmp_path / "off"), "sync", "--once",
                     "--timeout", "20")
    lines = out.splitlines()
    assert rc == 1 and lines[0].startswith("错误：区后台没有响应"), out  # the failure first
    assert "待同步：1 件" in lines and lines[-1] == "同步未完成", out
    assert not any("：0 件" in line for line in lines[:-3]), out  # no counts of nothing


def test_sync_once_as_a_real_process(capsys: Any, tmp_path: Path, backend: Any,
                                     station_secret: str) -> None:
    data_dir = tmp_path / "s"
    setup(capsys, data_dir, backend.base_url, station_secret)
    save_cases(data_dir, 1)
    proc = subprocess.run([sys.executable, "-m", "station_app.cli", "--data-dir",
                           str(data_dir), "sync", "--once", "--no-catalogue"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "区后台受理：1 件" in proc.stdout and "事项目录" not in proc.stdout


def _doctor(capsys: Any, data_dir: Path) -> tuple[int, dict[str, str]]:
    rc, out, _ = run(capsys, "--data-dir", str(data_dir), "doctor", "--timeout", "5")
    lines = out.splitlines()
    assert len(lines) == 7, out
    return rc, {line.split(" ", 1)[1].split("：", 1)[0]: line for line in lines}


def test_doctor_against_a_running_backend(capsys: Any, tmp_path: Path, backend: Any,
                                          station_secret: str) -> None:
    setup(capsys, tmp_path / "s", backend.base_url, station_secret)
    save_cases(tmp_path / "s", 1)
    rc, checks = _doctor(capsys, tmp_path / "s")
    assert rc == 0 and all(line.startswith("✓") for key, line in checks.items()
                           if key != "朗读"), checks  # tests/services/test_read_aloud_engine
    assert set(checks) == {"配置", "数据库完整性", "目录", "朗读", "后台可达", "签名", "时钟偏差"}


def test_doctor_against_an_unreachable_backend(capsys: Any, tmp_path: Path) -> None:
    setup(capsys, tmp_path / "s", "http://127.0.0.1:9", "e" * 43)
    rc, checks = _doctor(capsys, tmp_path / "s")
    assert rc == 1
    assert checks["配置"].startswith("✓") and checks["后台可达"].startswith("✗")
    assert "区后台没有响应" in checks["后台可达"] and checks["签名"].startswith("✗")


def test_doctor_unconfigured_says_what_to_run(capsys: Any, tmp_path: Path) -> None:
    rc, checks = _doctor(capsys, tmp_path / "nothing")
    assert rc == 1 and checks["配置"].startswith("✗ 配置：未配置")
    assert "station-app setup" in checks["配置"]


def test_doctor_with_a_wrong_secret(capsys: Any, tmp_path: Path, backend: Any,
                                    station_secret: str) -> None:
    setup(capsys, tmp_path / "s", backend.base_url, "f" * 43)
    rc, checks = _doctor(capsys, tmp_path / "s")
    assert rc == 1 and checks["后台可达"].startswith("✓")
    assert checks["签名"].startswith("✗") and "签名无效" in checks["签名"]


@pytest.mark.parametrize(("offset", "mark", "rc"), [(-120, "⚠", 0), (400, "✗", 1)])
def test_doctor_reports_clock_skew(capsys: Any, tmp_path: Path, backend_server: Any,
                                   offset: int, mark: str, rc: int) -> None:
    with backend_server(tmp_path / "district", clock=lambda: time.time() + offset) as skewed:
        setup(capsys, tmp_path / "s", skewed.base_url, skewed.enroll("QDK01").secret)
        code, checks = _doctor(capsys, tmp_path / "s")
    assert code == rc and checks["时钟偏差"].startswith(mark), checks
    if offset > 300:
        assert "时钟" in checks["签名"]  # the backend refuses the signature for the same reason

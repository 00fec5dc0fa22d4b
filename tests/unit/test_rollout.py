"""Unattended roll-out: station.toml is checked whole, applied once, and loses its secret."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import date
from pathlib import Path

import pytest

from station_app.config import (
    SECRET_FILE,
    StationSettings,
    load_secret,
    load_settings,
    save_settings,
)
from station_app.rollout import (
    ROLLOUT_FILE,
    RolloutError,
    apply_rollout,
    load_rollout_file,
    pending_rollout,
)

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"
GOOD = f"""\
# 琴断口街 · 七里一村（区信息中心 2026-11 批次）
station_id = "QDK01"
station_name = "七里一村社区红色驿站"
backend_url = "https://yslb.hanyang.example/api/"
secret = "{SECRET}"
sync_interval_seconds = 120
"""
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def write(tmp_path: Path, text: str, name: str = ROLLOUT_FILE) -> Path:
    path = tmp_path / "etc" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def message(path: Path) -> str:
    with pytest.raises(RolloutError) as err:
        load_rollout_file(path)
    return str(err.value)


def test_a_complete_file_gives_settings_and_secret(tmp_path: Path) -> None:
    settings, secret = load_rollout_file(write(tmp_path, GOOD))
    assert secret == SECRET
    assert settings.station_id == "QDK01"
    assert settings.station_name == "七里一村社区红色驿站"
    assert settings.backend_url == "https://yslb.hanyang.example/api"
    assert settings.sync_interval_seconds == 120
    assert settings.ca_bundle is None


def test_apply_writes_settings_moves_the_secret_and_strips_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    data = tmp_path / "data"
    result = apply_rollout(data, path, today=date(2026, 11, 25))

    assert result.secret_removed and result.warning is None
    assert "QDK01" in result.summary()
    assert load_settings(data).station_id == "QDK01"
    assert load_secret(data) == SECRET
    assert stat.S_IMODE((data / SECRET_FILE).stat().st_mode) == 0o600
    assert SECRET not in (data / "settings.toml").read_text(encoding="utf-8")

    rewritten = path.read_text(encoding="utf-8")
    assert SECRET not in rewritten
    assert "# 琴断口街 · 七里一村" in rewritten  # comments survive
    assert "2026-11-25" in rewritten
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(rewritten)["station_id"] == "QDK01"


def test_the_file_is_picked_up_once(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert pending_rollout(path.parent) == path
    apply_rollout(tmp_path / "data", path)
    assert pending_rollout(path.parent) is None
    assert "键 secret：站点密钥必须填写" in message(path)


def test_no_file_means_nothing_pending(tmp_path: Path) -> None:
    assert pending_rollout(tmp_path) is None


def test_apply_keeps_settings_the_file_does_not_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_settings(data, StationSettings(theme="elder", printer="柜台打印机",
                                        sync_interval_seconds=300))
    apply_rollout(data, write(tmp_path, GOOD.replace("sync_interval_seconds = 120\n", "")))
    settings = load_settings(data)
    assert settings.theme == "elder"
    assert settings.printer == "柜台打印机"
    assert settings.sync_interval_seconds == 300
    assert settings.station_id == "QDK01"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("station_id = \"QDK01\"\n", ""), "键 station_id：站点编号必须填写"),
        ((f"secret = \"{SECRET}\"\n", ""), "键 secret：站点密钥必须填写"),
        (("backend_url", "backend"), "键 backend：不是可用的设置项，是否应为 backend_url？"),
        (("sync_interval_seconds", "colour"), "键 colour：不是可用的设置项；可用的有："),
        (("\"QDK01\"", "\"qdk-01\""), "键 station_id：站点编号须为 2–16 位大写字母或数字"),
        (("\"QDK01\"", "1"),
         "键 station_id：站点编号须为文字（用英文双引号括起来），填的是整数"),
        (("https://yslb", "ftp://yslb"), "键 backend_url：后台地址须以 http:// 或 https:// 开头"),
        (("api/\"", "api/?x=1\""), "不能带查询参数"),
        ((SECRET, "short"), "键 secret：站点密钥须为登记时发放的 16–128 位字母"),
        (("= 120", "= 5"), "键 sync_interval_seconds：同步间隔须在 15 到 3600 秒之间"),
        (("= 120", "= \"两分钟\""), "键 sync_interval_seconds：同步间隔须为整数"),
        (("= 120", "= true"), "填的是真假值"),
        (("station_name = \"七里一村社区红色驿站\"", "station_name = \"\""), "站点名称不能为空"),
        (("sync_interval_seconds = 120", "theme = \"dark\""),
         "键 theme：默认界面须为 'standard' 或 'elder'，填的是 'dark'"),
        (("\"QDK01\"", "QDK01"), "不是有效的 TOML：第 2 行"),
    ],
)
def test_a_bad_file_gets_one_line_per_problem_naming_file_and_key(
        tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    text = message(path)
    assert expected in text
    lines = text.splitlines()
    assert all(str(path) in line for line in lines)
    # one problem, one line; a renamed key is two: the unknown one and the one now missing
    assert len(lines) == (2 if change == ("backend_url", "backend") else 1)
    assert SECRET not in text


def test_every_bad_key_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("= 120", "= 5").replace("https://", "ftp://")
                 .replace(SECRET, "abc") + 'theme = "dark"\n')
    lines = message(path).splitlines()
    keys = [line.split("：")[1] for line in lines]
    assert keys == ["键 backend_url", "键 sync_interval_seconds", "键 theme", "键 secret"]


def test_nothing_is_written_for_a_bad_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("= 120", "= 5"))
    data = tmp_path / "data"
    with pytest.raises(RolloutError):
        apply_rollout(data, path)
    assert not data.exists()
    assert SECRET in path.read_text(encoding="utf-8")


def test_missing_and_non_utf8_files_are_named(tmp_path: Path) -> None:
    assert "找不到配置文件" in message(tmp_path / "nope.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes('station_name = "七里一村"'.encode("gbk"))
    assert "不是 UTF-8" in message(bad)


def test_ca_bundle_is_resolved_next_to_the_file_and_must_be_pem(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + 'ca_bundle = "district-ca.pem"\n')
    assert "键 ca_bundle：CA 证书文件无法读取" in message(path)
    (path.parent / "district-ca.pem").write_text("not a certificate", encoding="ascii")
    assert "不是 PEM 格式" in message(path)
    (path.parent / "district-ca.pem").write_text(PEM, encoding="ascii")
    settings, _ = load_rollout_file(path)
    assert settings.ca_bundle == (path.parent / "district-ca.pem").resolve()


def test_a_multiline_secret_is_removed_too(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace(f'secret = "{SECRET}"', f'secret = """\n{SECRET}"""'))
    result = apply_rollout(tmp_path / "data", path)
    assert result.secret_removed
    assert load_secret(tmp_path / "data") == SECRET
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert tomllib.loads(text)["station_id"] == "QDK01"


def test_a_file_in_a_folder_the_station_cannot_write_is_rewritten_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """E.g. /etc/red-station/station.toml owned by the station's account, folder by root."""
    path = write(tmp_path, GOOD)
    real_open = os.open

    def no_new_files_next_to_it(file: str | Path, flags: int, mode: int = 0o777) -> int:
        if Path(file).parent == path.parent and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, mode)

    monkeypatch.setattr(os, "open", no_new_files_next_to_it)
    result = apply_rollout(tmp_path / "data", path)
    monkeypatch.undo()
    assert result.secret_removed
    assert SECRET not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(tmp_path / "data") == SECRET


def test_a_file_that_cannot_be_rewritten_still_configures_and_warns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, GOOD)
    real_replace = os.replace

    def refuse_the_rollout_file(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == path:  # e.g. a root-owned file in /etc, started by a worker
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_the_rollout_file)
    data = tmp_path / "data"
    result = apply_rollout(data, path)
    monkeypatch.undo()
    assert load_secret(data) == SECRET
    assert not result.secret_removed
    assert result.warning is not None and "请手工删除" in result.warning
    assert SECRET in path.read_text(encoding="utf-8")
    assert not list(path.parent.glob(".*.tmp"))

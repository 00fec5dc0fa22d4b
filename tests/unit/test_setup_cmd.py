"""`station-app setup`: one option per settings key, every bad option reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_app.cli import main
from station_app.commands.setup_cmd import option
from station_app.config import SECRET_FILE, SETTINGS_FILE, load_secret, load_settings
from station_app.settings_schema import settable_keys

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str
        ) -> tuple[int, str, list[str]]:
    rc = main(["--data-dir", str(data_dir), "setup", *args])
    out, err = capsys.readouterr()
    return rc, out, err.strip().splitlines()


def test_every_bad_option_is_reported_at_once_and_nothing_is_written(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, out, lines = run(capsys, tmp_path / "s", "--station-id", "QDK01",
                         "--backend-url", "ftp://x", "--interval", "5", "--theme", "dark",
                         "--contact-phone", "0" * 31, "--secret", "abc")
    assert rc == 2 and not out
    assert lines == [
        "错误：--backend-url：后台地址须以 http:// 或 https:// 开头",
        "错误：--interval：同步间隔须在 15 到 3600 秒之间",  # named as typed
        "错误：--theme：默认界面须为 'standard' 或 'elder'，填的是 'dark'",
        "错误：--contact-phone：联系电话不能超过 30 个字",
        "错误：--secret：站点密钥须为登记时发放的 16–128 位字母、数字、- 或 _",
    ]
    assert not (tmp_path / "s" / SETTINGS_FILE).exists()
    assert not (tmp_path / "s" / SECRET_FILE).exists()


def test_missing_options_are_all_named_with_the_way_out(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    rc, _, lines = run(capsys, tmp_path / "s", "--sync-interval-seconds", "abc")
    assert rc == 2
    assert lines[:4] == ["错误：--station-id：站点编号必须填写",
                         "错误：--backend-url：后台地址必须填写",
                         "错误：--sync-interval-seconds：同步间隔须为整数",
                         "错误：--secret：站点密钥必须填写"]
    assert "--from" in lines[4]


def test_every_setting_of_the_schema_has_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["setup", "--help"])
    text = capsys.readouterr().out
    for key in settable_keys():
        assert option(key) in text, key


def test_every_setting_can_be_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ca = tmp_path / "district-ca.pem"
    ca.write_text(PEM, encoding="ascii")
    given = {"station_id": "qdk01", "station_name": "七里一村社区红色驿站",
             "backend_url": "https://hy.example.cn/api/", "sync_interval_seconds": "300",
             "ca_bundle": str(ca), "theme": "elder", "language": "en",
             "printer": "柜台打印机", "retention_days": "365",
             "contact_phone": "027-84700000", "allow_insecure_http": "false",
             "idle_lock_minutes": "15", "card_driver": "sdtapi",
             "card_library": "/opt/reader/libsdtapi.so", "card_port": "1002",
             "backup_copy_dir": str(tmp_path / "usb" / "驿站备份"), "secret": SECRET,
             "read_aloud_rate": "110", "paper": "80mm",
             "station_address": "琴断口街七里一村社区党群服务中心",
             "opening_hours": "周一至周五 8:30—17:30",
             "progress_page_url": "https://hy.example.cn/q/{ref}"}
    assert sorted(given) == sorted(settable_keys())  # a new setting must be added here
    rc, out, lines = run(capsys, tmp_path / "s",
                         *(x for key, value in given.items() for x in (option(key), value)))
    assert rc == 0, lines
    assert SECRET not in out
    s = load_settings(tmp_path / "s")
    assert (s.station_id, s.station_name, s.backend_url, s.sync_interval_seconds,
            s.ca_bundle, s.theme, s.language, s.printer, s.retention_days,
            s.contact_phone, s.idle_lock_minutes, s.backup_copy_dir, s.card_driver,
            s.card_library, s.card_port, s.read_aloud_rate, s.paper, s.station_address,
            s.opening_hours, s.progress_page_url) == (
        "QDK01", "七里一村社区红色驿站", "https://hy.example.cn/api", 300, ca.resolve(), "elder",
        "en", "柜台打印机", 365, "027-84700000", 15, tmp_path / "usb" / "驿站备份", "sdtapi",
        "/opt/reader/libsdtapi.so", 1002, 110, "80mm", "琴断口街七里一村社区党群服务中心",
        "周一至周五 8:30—17:30", "https://hy.example.cn/q/{ref}")
    assert load_secret(tmp_path / "s") == SECRET


def test_setup_keeps_settings_it_is_not_given(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    base = ("--station-id", "QDK01", "--backend-url", "https://hy.example.cn",
            "--secret", SECRET)
    assert run(capsys, tmp_path / "s", *base, "--contact-phone", "027-84700000")[0] == 0
    assert run(capsys, tmp_path / "s", *base, "--theme", "elder")[0] == 0
    s = load_settings(tmp_path / "s")
    assert (s.contact_phone, s.theme) == ("027-84700000", "elder")


def test_from_refuses_other_setting_options(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    rc, _, lines = run(capsys, tmp_path / "s", "--from", str(tmp_path / "station.toml"),
                       "--contact-phone", "027-84700000")
    assert rc == 2 and len(lines) == 1
    assert "--from" in lines[0] and "--contact-phone" in lines[0]


def test_from_reports_every_bad_key_of_the_file(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text('station_id = "QDK01"\nbackend_url = "ftp://x"\n'
                    'sync_interval_seconds = 5\nsecret = "abc"\n', encoding="utf-8")
    rc, out, lines = run(capsys, tmp_path / "s", "--from", str(path))
    assert rc == 2 and not out
    assert [line.split("：")[2] for line in lines] == [
        "键 backend_url", "键 sync_interval_seconds", "键 secret"]
    assert all(str(path) in line for line in lines)


def test_a_clear_text_remote_backend_is_refused_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Residents' data must not cross the network unencrypted: plain http only to this
    machine, or where IT explicitly allows it for a lab (doctor then warns)."""
    base = ("--station-id", "QDK01", "--secret", SECRET)
    rc, out, lines = run(capsys, tmp_path / "s", *base,
                         "--backend-url", "http://district.invalid:8700")
    assert rc == 2 and not out and len(lines) == 1
    assert lines[0].startswith("错误：--backend-url：") and "https://" in lines[0]
    assert not (tmp_path / "s" / SETTINGS_FILE).exists()
    assert run(capsys, tmp_path / "s", *base, "--backend-url", "http://127.0.0.1:8700")[0] == 0
    assert run(capsys, tmp_path / "s", *base, "--backend-url", "https://district.invalid")[0] == 0
    rc, _, lines = run(capsys, tmp_path / "lab", *base, "--allow-insecure-http", "true",
                       "--backend-url", "http://district.invalid:8700")
    assert rc == 0, lines
    assert load_settings(tmp_path / "lab").insecure_transport
    main(["--data-dir", str(tmp_path / "lab"), "doctor", "--timeout", "1"])
    doctor = capsys.readouterr().out
    assert "⚠ 传输加密" in doctor


def test_the_backup_copy_folder_must_be_a_full_path(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    """A relative folder would depend on where the program was started from."""
    base = ("--station-id", "QDK01", "--backend-url", "https://hy.example.cn",
            "--secret", SECRET)
    rc, out, lines = run(capsys, tmp_path / "s", *base, "--backup-copy-dir", "usb/backups")
    assert rc == 2 and not out
    assert lines == ["错误：--backup-copy-dir：备份副本文件夹须为完整路径，"
                     "如 E:\\驿站备份 或 /media/usb/驿站备份"]
    assert not (tmp_path / "s" / SETTINGS_FILE).exists()

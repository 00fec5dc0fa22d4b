"""设置 and 首次配置: typed values are checked per field, saved atomically, read back on start."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.config import SETTINGS_FILE, load_secret, load_settings
from station_app.services.context import StationContext, open_station
from station_app.services.enrolment import EnrolmentError, parse_enrolment
from station_app.services.settings_form import needs_first_run, validate_settings
from station_app.ui.first_run import FirstRunPage
from station_app.ui.settings_page import SettingsPage

ENROL = "redstation://enroll?station=QDK07&secret=s3cr3t-XYZ-0123456789&backend=https%3A%2F%2Fhy.example.cn"


@pytest.fixture
def settings_page(qtbot: QtBot, station_ctx: StationContext) -> SettingsPage:
    p = SettingsPage(station_ctx)
    qtbot.addWidget(p)
    p.show()
    return p


@pytest.fixture
def first_run(qtbot: QtBot, station_ctx: StationContext) -> FirstRunPage:
    p = FirstRunPage(station_ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def test_settings_save_and_reload(qtbot: QtBot, settings_page: SettingsPage,
                                  station_ctx: StationContext) -> None:
    p = settings_page
    p.station_id.setText("qdk01")
    p.station_name.setText("七里一村红色驿站")
    p.backend_url.setText("https://hy.example.cn/")
    p.sync_interval.setValue(120)
    p.theme.setCurrentIndex(p.theme.findData("elder"))
    p.language.setCurrentIndex(p.language.findData("en"))
    with qtbot.waitSignal(p.saved, timeout=1000):
        qtbot.mouseClick(p.save_button, Qt.MouseButton.LeftButton)
    assert "已保存" in p.result.text()
    saved = load_settings(station_ctx.data_dir)
    assert saved.station_id == "QDK01"
    assert saved.backend_url == "https://hy.example.cn"
    assert (saved.sync_interval_seconds, saved.theme, saved.language) == (120, "elder", "en")
    assert station_ctx.settings == saved
    assert not (station_ctx.data_dir / (SETTINGS_FILE + ".tmp")).exists()
    again = open_station(station_ctx.data_dir)
    try:
        fresh = SettingsPage(again)
        qtbot.addWidget(fresh)
        assert fresh.station_name.text() == "七里一村红色驿站"
        assert fresh.sync_interval.value() == 120
        assert fresh.language.currentData() == "en"
    finally:
        again.close()


def test_bad_url_and_station_id_get_messages_under_their_fields(
        settings_page: SettingsPage, station_ctx: StationContext) -> None:
    p = settings_page
    p.backend_url.setText("hy.example.cn")
    p.station_id.setText("七里一村")
    assert not p.save()
    url_error = p.rows["backend_url"].error
    assert url_error.isVisible()
    assert "http://" in url_error.text() and url_error.text().startswith("错误")
    assert "大写字母或数字" in p.rows["station_id"].error.text()
    assert not p.rows["station_name"].error.isVisible()
    assert "2 处" in p.result.text()
    assert not (station_ctx.data_dir / SETTINGS_FILE).exists()  # nothing half-saved
    p.backend_url.setText("https://hy.example.cn")
    p.station_id.setText("QDK01")
    assert p.save()
    assert not url_error.isVisible()


def test_enrolment_string_in_the_settings_secret_field(settings_page: SettingsPage,
                                                      station_ctx: StationContext) -> None:
    settings_page.secret.setText(ENROL)
    assert settings_page.save()
    assert station_ctx.settings.station_id == "QDK07"
    assert station_ctx.settings.backend_url == "https://hy.example.cn"
    assert load_secret(station_ctx.data_dir) == "s3cr3t-XYZ-0123456789"


def test_first_run_reads_the_scanned_enrolment_string(qtbot: QtBot, first_run: FirstRunPage,
                                                      station_ctx: StationContext) -> None:
    assert needs_first_run(station_ctx)
    qtbot.keyClicks(first_run.enrolment, ENROL)
    assert first_run.station_id.text() == "QDK07"
    assert first_run.backend_url.text() == "https://hy.example.cn"
    assert first_run.secret.text() == "s3cr3t-XYZ-0123456789"
    assert "QDK07" in first_run.result.text()
    first_run.station_name.setText("七里一村红色驿站")
    with qtbot.waitSignal(first_run.finished, timeout=1000):
        qtbot.mouseClick(first_run.done_button, Qt.MouseButton.LeftButton)
    assert load_settings(station_ctx.data_dir).station_name == "七里一村红色驿站"
    secret_file = station_ctx.data_dir / "station.secret"
    assert load_secret(station_ctx.data_dir) == "s3cr3t-XYZ-0123456789"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert not needs_first_run(station_ctx)


def test_first_run_requires_id_url_and_secret(first_run: FirstRunPage,
                                              station_ctx: StationContext) -> None:
    assert not first_run.configure()
    for key in ("station_id", "backend_url", "secret"):
        assert "必须填写" in first_run.rows[key].error.text(), key
    assert not (station_ctx.data_dir / SETTINGS_FILE).exists()


def test_first_run_rejects_a_broken_enrolment_string(first_run: FirstRunPage) -> None:
    first_run.enrolment.setText("redstation://enroll?station=QDK07")
    assert "缺少" in first_run.rows["enrolment"].error.text()
    assert first_run.station_id.text() == ""


def test_later_works_offline_and_is_asked_once(qtbot: QtBot, first_run: FirstRunPage,
                                              station_ctx: StationContext) -> None:
    with qtbot.waitSignal(first_run.finished, timeout=1000):
        qtbot.mouseClick(first_run.later_button, Qt.MouseButton.LeftButton)
    assert (station_ctx.data_dir / SETTINGS_FILE).is_file()
    assert not needs_first_run(station_ctx)
    assert load_secret(station_ctx.data_dir) is None


@pytest.mark.parametrize("text, message", [
    ("https://x/enroll?station=A1&secret=s", "redstation://"),
    ("redstation://other?station=QDK01&secret=s", "类型"),
    ("redstation://enroll?station=q-1&secret=s", "站点编号"),
    ("redstation://enroll?station=QDK01&secret=s&backend=ftp://x", "后台地址"),
])
def test_enrolment_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(EnrolmentError, match=message):
        parse_enrolment(text)


def test_validation_messages_are_chinese_per_field(tmp_path: Path) -> None:
    from station_app.config import StationSettings

    settings, errors = validate_settings(StationSettings(), {
        "sync_interval_seconds": 5, "station_name": "驿" * 61, "backend_url": "x"})
    assert settings is None
    assert errors == {"sync_interval_seconds": "同步间隔须在 15 到 3600 秒之间",
                      "station_name": "站点名称不能超过 60 个字",
                      "backend_url": "后台地址须以 http:// 或 https:// 开头"}

"""The one settings form: both screens show it, it follows the schema, it never clamps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.config import SECRET_FILE, SETTINGS_FILE, StationSettings, load_settings
from station_app.services.context import StationContext
from station_app.settings_schema import settable_keys
from station_app.ui.first_run import FirstRunPage
from station_app.ui.settings_form_widget import (
    ENROLMENT,
    FIRST_RUN_KEYS,
    SETTINGS_KEYS,
    SettingsForm,
)
from station_app.ui.settings_page import SettingsPage

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"
ENROL = f"redstation://enroll?station=QDK07&secret={SECRET}&backend=https%3A%2F%2Fhy.example.cn"


def test_every_row_is_a_key_of_the_settings_schema() -> None:
    keys = set(settable_keys())
    assert set(SETTINGS_KEYS) <= keys
    assert set(FIRST_RUN_KEYS) - {ENROLMENT} <= keys


def test_both_screens_use_the_form_with_their_rows(qtbot: QtBot,
                                                   station_ctx: StationContext) -> None:
    first, settings = FirstRunPage(station_ctx), SettingsPage(station_ctx)
    for page in (first, settings):
        qtbot.addWidget(page)
        page.show()
    assert isinstance(first.form, SettingsForm) and isinstance(settings.form, SettingsForm)
    shown_first = [k for k, row in first.rows.items() if row.isVisibleTo(first)]
    shown_settings = [k for k, row in settings.rows.items() if row.isVisibleTo(settings)]
    assert shown_first == list(FIRST_RUN_KEYS)
    assert shown_settings == list(SETTINGS_KEYS)


def test_first_run_refuses_the_secret_setup_refuses(qtbot: QtBot,
                                                    station_ctx: StationContext) -> None:
    page = FirstRunPage(station_ctx)
    qtbot.addWidget(page)
    page.station_id.setText("QDK01")
    page.backend_url.setText("https://hy.example.cn")
    page.secret.setText("abc")
    assert not page.configure()
    assert "16–128" in page.rows["secret"].error.text()
    assert not (station_ctx.data_dir / SECRET_FILE).exists()
    assert not (station_ctx.data_dir / SETTINGS_FILE).exists()


def test_a_typed_interval_out_of_range_is_explained_not_clamped(
        qtbot: QtBot, station_ctx: StationContext) -> None:
    page = SettingsPage(station_ctx)
    qtbot.addWidget(page)
    page.show()
    box = page.sync_interval
    box.selectAll()
    qtbot.keyClicks(box, "5")
    box.interpretText()
    assert box.value() == 5
    assert not page.save()
    assert page.rows["sync_interval_seconds"].error.text() == "错误：同步间隔须在 15 到 3600 秒之间"
    assert page.focusWidget() is box  # the cursor waits on the field to correct


def test_finished_carries_the_saved_settings(qtbot: QtBot,
                                             station_ctx: StationContext) -> None:
    page = FirstRunPage(station_ctx)
    qtbot.addWidget(page)
    page.enrolment.setText(ENROL)
    page.station_name.setText("七里一村红色驿站")
    page.form.sync_interval.setValue(300)
    with qtbot.waitSignal(page.finished, timeout=1000) as blocker:
        qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    (sent,) = blocker.args
    assert isinstance(sent, StationSettings)
    assert sent == load_settings(station_ctx.data_dir)
    assert (sent.station_id, sent.sync_interval_seconds) == ("QDK07", 300)


def test_an_enrolment_string_in_the_settings_secret_field_fills_the_form(
        qtbot: QtBot, station_ctx: StationContext) -> None:
    page = SettingsPage(station_ctx)
    qtbot.addWidget(page)
    page.secret.setText(ENROL)
    assert (page.station_id.text(), page.backend_url.text(), page.secret.text()) == (
        "QDK07", "https://hy.example.cn", SECRET)
    page.secret.setText("redstation://enroll?station=QDK07")
    assert "缺少" in page.rows["secret"].error.text()
    assert not page.save()
    assert "缺少" in page.rows["secret"].error.text()

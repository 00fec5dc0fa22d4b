"""立即同步 answers the worker who pressed it: 正在同步… while it runs, then done and what
moved, or not done and why (a district that does not answer included)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.app import start_sync, stop_sync
from station_app.commands.demo_mode import DemoBackend, district_backend, prepare_station
from station_app.domain.search import SearchIndex
from station_app.services.context import open_station
from station_app.services.intake import open_form, submit
from station_app.ui.main_window import MainWindow
from tests.ui.test_main_window import RS04_VALUES

REFUSED = DemoBackend(url="http://127.0.0.1:9", station_id="QDK01", secret="d" * 43)


def _press_sync_now(qtbot: QtBot, station: Path, search_index: SearchIndex) -> str:
    """Open the station with its sync running; once the first scheduled run has ended,
    queue one case, press 立即同步 and return the line the status bar ends with."""
    ctx = open_station(station)
    service = start_sync(ctx)
    assert service is not None
    try:
        w = MainWindow(ctx, search_index, sync=service)
        qtbot.addWidget(w)
        w.show()
        bar = w.status_bar
        qtbot.waitUntil(lambda: bar.connection.text() not in ("尚未连接", "正在同步…"),
                        timeout=30000)
        submit(ctx, open_form(ctx, "RS04"), RS04_VALUES, ["居民身份证或社会保障卡"])
        qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
        assert bar.notice.text() == "正在同步…" and not bar.sync_button.isEnabled()
        qtbot.waitUntil(lambda: bar.notice.text().startswith("同步"), timeout=30000)
        qtbot.waitUntil(bar.sync_button.isEnabled, timeout=10000)  # ready for the next
        text = bar.notice.text()
        w.close()
        return text
    finally:
        stop_sync(service)
        ctx.close()


def test_sync_now_says_what_went_out(qtbot: QtBot, tmp_path: Path,
                                     search_index: SearchIndex) -> None:
    with district_backend(tmp_path / "district") as backend:
        prepare_station(tmp_path / "station", cases=0, backend=backend)
        text = _press_sync_now(qtbot, tmp_path / "station", search_index)
    assert text.startswith("同步完成：上报 1 件"), text


def test_sync_now_offline_says_it_did_not_go_and_why(qtbot: QtBot, tmp_path: Path,
                                                     search_index: SearchIndex) -> None:
    prepare_station(tmp_path / "station", cases=0, backend=REFUSED)
    text = _press_sync_now(qtbot, tmp_path / "station", search_index)
    assert text.startswith("同步未完成：区后台没有响应"), text

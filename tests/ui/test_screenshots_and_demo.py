"""`station-app screenshots` writes real, non-blank PNGs in both looks; the `--demo` backend
starts, enrols the station and takes a case pushed with "立即同步"."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.app import start_sync, stop_sync
from station_app.cli import main
from station_app.commands.demo_mode import district_backend, prepare_station
from station_app.config import is_configured, load_secret, load_settings
from station_app.domain.search import SearchIndex
from station_app.services.context import open_station
from station_app.services.intake import open_form, submit
from station_app.ui.main_window import MainWindow
from tests.ui.test_main_window import RS04_VALUES

SCREENS = ("services", "services-detail", "settings", "first-run")


def _dark_fraction(path: Path) -> float:
    img = QImage(str(path))
    assert not img.isNull(), path
    dark = total = 0
    for y in range(0, img.height(), 7):
        for x in range(0, img.width(), 7):
            total += 1
            if img.pixelColor(x, y).lightness() < 100:
                dark += 1
    return dark / total


def test_screenshots_of_every_screen_in_both_themes(qapp: QApplication, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "shots"
    assert main(["screenshots", str(out), "--cases", "20"]) == 0
    printed = capsys.readouterr().out.split()
    files = {p.name for p in out.glob("*.png")}
    assert sorted(printed) == sorted(str(out / f) for f in files)
    for screen in SCREENS:
        for theme in ("standard", "elder"):
            assert f"{screen}-{theme}.png" in files
    for name in ("services-standard.png", "services-elder.png", "first-run-elder.png"):
        img = QImage(str(out / name))
        assert (img.width(), img.height()) == (1366, 768)
        assert 0.002 < _dark_fraction(out / name) < 0.5  # text drawn, not an empty window
    for what in ("idle", "review", "rating"):  # the resident's view
        name = f"resident-{what}.png"
        assert name in files
        assert 0.002 < _dark_fraction(out / name) < 0.5
    elder, standard = (_dark_fraction(out / f"services-{t}.png") for t in ("elder", "standard"))
    assert elder > standard  # larger, blacker text
    pixels = {name: QImage(str(out / name)) for name in files}
    same = [(a, b) for a in sorted(files) for b in sorted(files)
            if a < b and pixels[a] == pixels[b]]
    assert not same, same  # every screen is its own picture


@pytest.mark.slow
def test_demo_backend_enrols_the_station_and_stops(tmp_path: Path) -> None:
    with district_backend(tmp_path / "district") as backend:
        session = requests.Session()
        session.trust_env = False
        try:
            assert session.get(backend.url + "/v1/health", timeout=10).status_code == 200
            settings = prepare_station(tmp_path / "station", cases=0, backend=backend)
            # the demo receipts' QR codes open the demo backend's own progress page
            assert settings.progress_page_url == backend.url + "/q/{ref}"
            page = session.get(backend.url + "/q/HY261125-0000ZZZZ", timeout=10)
            assert page.status_code == 404 and "没有找到这个受理编号" in page.text
        finally:
            session.close()
    assert settings.backend_url == backend.url
    saved = load_settings(tmp_path / "station")
    assert is_configured(saved, load_secret(tmp_path / "station"))


def test_a_demo_station_without_its_backend_prints_the_bare_reference(tmp_path: Path) -> None:
    settings = prepare_station(tmp_path / "station", cases=0, backend=None)
    assert settings.backend_url is None and settings.progress_page_url is None


@pytest.mark.slow
def test_sync_now_against_the_demo_backend_updates_the_status_bar(
        qtbot: QtBot, tmp_path: Path, search_index: SearchIndex) -> None:
    with district_backend(tmp_path / "district") as backend:
        prepare_station(tmp_path / "station", cases=0, backend=backend)
        ctx = open_station(tmp_path / "station")
        service = start_sync(ctx)
        assert service is not None
        try:
            submit(ctx, open_form(ctx, "RS04"), RS04_VALUES, ["居民身份证或社会保障卡"])
            w = MainWindow(ctx, search_index, sync=service)
            qtbot.addWidget(w)
            w.show()
            bar = w.status_bar
            qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bar.queued.text() == "待上报 0", timeout=15000)
            qtbot.waitUntil(lambda: bar.connection.text() == "在线", timeout=5000)
            assert bar.last_sync.text() != "上次同步：尚无"
            w.close()
        finally:
            stop_sync(service)
            ctx.close()

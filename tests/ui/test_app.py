"""Composition root: start-up failures end in one Chinese dialog and a non-zero exit, errors
from worker threads reach the GUI thread, translations build from the .ts source."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from station_app import app as app_module
from station_app.config import SETTINGS_FILE
from station_app.i18n import compile_translations, install_translator, lrelease_tool
from station_app.instance_lock import InstanceLock
from station_app.services.context import open_station


@pytest.fixture
def fatal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_fatal", shown.append)
    return shown


@pytest.fixture
def hooks_restored() -> Iterator[None]:
    before = (sys.excepthook, threading.excepthook)
    yield
    assert (sys.excepthook, threading.excepthook) == before


def test_corrupt_database_is_refused_with_one_dialog(qapp: QApplication, tmp_path: Path,
                                                     fatal: list[str],
                                                     hooks_restored: None) -> None:
    data = tmp_path / "station"
    data.mkdir()
    (data / "station.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = (data / "station.db").read_bytes()
    assert app_module.run_gui(data) == 1
    assert len(fatal) == 1 and "数据库" in fatal[0]
    assert (data / "station.db").read_bytes() == before  # nothing silently replaced
    assert (data / "logs" / "station.log").read_text(encoding="utf-8").count("无法启动") == 1


def test_bad_settings_file_is_named_in_the_dialog(qapp: QApplication, tmp_path: Path,
                                                  fatal: list[str]) -> None:
    data = tmp_path / "station"
    data.mkdir()
    (data / SETTINGS_FILE).write_text('sync_interval_seconds = 1\n', encoding="utf-8")
    assert app_module.run_gui(data) == 1
    assert "sync_interval_seconds" in fatal[0]


def test_second_terminal_on_the_same_folder_is_refused(qapp: QApplication, tmp_path: Path,
                                                       fatal: list[str]) -> None:
    data = tmp_path / "station"
    with InstanceLock(data):
        assert app_module.run_gui(data) == 1
    assert "另一个终端" in fatal[0]


def test_errors_from_worker_threads_are_shown_on_the_gui_thread(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, bool]] = []

    def critical(_parent: object, _title: str, text: str) -> None:
        seen.append((text, threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(QMessageBox, "critical", critical)
    reporter = app_module.ErrorReporter(tmp_path / "logs")
    worker = threading.Thread(target=reporter.report, args=("RuntimeError: 磁盘已满",))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(seen))
    text, on_gui_thread = seen[0]
    assert on_gui_thread
    assert "磁盘已满" in text and str(tmp_path / "logs") in text


def test_startup_message_lists_catalogue_errors() -> None:
    from station_app.domain.catalogue_errors import CatalogueError
    from station_app.domain.catalogue_loader import CatalogueInvalid

    errors = [CatalogueError(f"items/RS0{i}.yaml", "缺少必填项", f"RS0{i}", "name")
              for i in range(7)]
    text = app_module.startup_message(CatalogueInvalid(errors))
    assert "items/RS00.yaml" in text and "共 7 处" in text


@pytest.mark.skipif(lrelease_tool() is None, reason="PySide6 without lrelease")
def test_english_translation_builds_and_loads(qapp: QApplication, tmp_path: Path) -> None:
    built = compile_translations(tmp_path / "qm")
    assert [p.name for p in built] == ["red_station_en.qm"]
    translators = install_translator(qapp, "en", tmp_path / "qm")
    try:
        assert QCoreApplication.translate("MainWindow", "事项") == "Services"
        assert QCoreApplication.translate("StationStatusBar", "立即同步") == "Sync now"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert QCoreApplication.translate("MainWindow", "事项") == "事项"


def test_every_english_translation_is_finished() -> None:
    ts = Path(__file__).resolve().parents[2] / "resources" / "translations" / "red_station_en.ts"
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    assert text.count("<translation>") == text.count("<source>")


def test_open_station_twice_for_the_sync_check(tmp_path: Path) -> None:
    """The root asks `start_sync` only for configured stations: none here."""
    ctx = open_station(tmp_path / "station")
    try:
        assert app_module.start_sync(ctx) is None
    finally:
        ctx.close()


def test_pending_rollout_is_applied_before_the_station_opens(tmp_path: Path) -> None:
    config = tmp_path / "etc"
    config.mkdir()
    (config / "station.toml").write_text(
        'station_id = "QDK01"\nstation_name = "七里一村社区红色驿站"\n'
        'backend_url = "https://hy.example.cn/api"\nsecret = "Zk3v-secret-0123456789"\n',
        encoding="utf-8")
    app_module.apply_pending_rollout(tmp_path / "station", config)
    from station_app.config import is_configured, load_secret, load_settings

    data = tmp_path / "station"
    assert is_configured(load_settings(data), load_secret(data))
    assert "Zk3v-secret-0123456789" not in (config / "station.toml").read_text(encoding="utf-8")


def test_bad_rollout_file_stops_the_start_with_its_message(qapp: QApplication, tmp_path: Path,
                                                          fatal: list[str]) -> None:
    config = tmp_path / "etc"
    config.mkdir()
    (config / "station.toml").write_text('station_id = "q"\nsecret = "s"\n', encoding="utf-8")
    assert app_module.run_gui(tmp_path / "station", rollout_dir=config) == 1
    assert len(fatal) == 1 and "station.toml" in fatal[0]


IMPORTED = ("import sys, importlib; [importlib.import_module(m) for m in sys.argv[1:]]; "
            "print(' '.join(sorted({n.split('.')[0] if not n.startswith('station_app.') "
            "else '.'.join(n.split('.')[:2]) for n in sys.modules})))")


def _imported_by(*modules: str) -> set[str]:
    """Top-level packages (and station_app sub-packages) a fresh interpreter holds after
    importing ``modules``."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get(
        "PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", IMPORTED, *modules], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


def test_the_demo_backend_is_loaded_only_when_demo_mode_starts() -> None:
    cli = _imported_by("station_app.cli")
    assert "station_app.cli" in cli and "station_app.commands" in cli
    # maintenance commands start without the GUI or the district backend
    assert not {"district_backend", "uvicorn", "fastapi", "PySide6", "station_app.ui",
                "station_app.app"} & cli
    gui = _imported_by("station_app.cli", "station_app.app")
    assert {"PySide6", "station_app.ui", "station_app.app"} <= gui
    assert not {"district_backend", "uvicorn", "fastapi"} & gui


def test_the_window_s_start_leaves_the_data_layer_intake_cases_and_sync_for_later() -> None:
    """What the first window does not need is imported later: the data layer (by the thread
    that opens the database while the window shows), then the 受理 and 办件 pages, the sync
    engine and its HTTP client, the receipt's QR code and pinyin when first needed."""
    root = Path(__file__).resolve().parents[2]
    code = "import sys, station_app.cli, station_app.app; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120, check=True)
    loaded = set(done.stdout.split())
    assert {"station_app.app", "station_app.ui.main_window"} <= loaded
    data_layer = {"sqlalchemy", "sqlmodel", "alembic", "sqlcipher3", "station_app.store.engine",
                  "station_app.store.models", "station_app.services.context"}
    later = {"station_app.ui.intake.intake_page", "station_app.ui.cases",
             "station_app.sync.engine", "station_app.services.sync_service", "requests",
             "apscheduler", "qrcode", "pypinyin"}
    assert not (data_layer | later) & loaded, (data_layer | later) & loaded


@pytest.mark.slow
def test_demo_mode_opens_the_window_from_the_root_on_a_served_station(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`station-app --demo`: cli -> app.run_demo -> the window on a configured station whose
    district backend answers while the window is open; the folder is gone afterwards."""
    import requests

    from station_app.cli import main
    from station_app.config import load_settings

    opened: list[tuple[Path, bool, int]] = []

    def fake_gui(data_dir: Path, demo: bool = False) -> int:
        url = load_settings(data_dir).backend_url
        assert url is not None
        with requests.Session() as session:
            session.trust_env = False
            health = session.get(url + "/v1/health", timeout=10).status_code
        opened.append((data_dir, demo, health))
        return 0

    monkeypatch.setattr(app_module, "run_gui", fake_gui)
    assert main(["--demo"]) == 0
    [(data_dir, demo, health)] = opened
    assert demo and health == 200
    assert not data_dir.exists()


CLOSE_AND_COUNT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from station_app.store import engine
from station_app.store.backup import BackupFailed
import station_app.services.backups as backups
full = []
real = engine.quick_check
def counted(db_path, *, key=None):
    full.append(db_path.name)
    return real(db_path, key=key)
engine.quick_check = counted
if sys.argv[2] == "backup-fails":
    def refused(*_args, **_kwargs):
        raise BackupFailed("磁盘已满")
    backups.backup_database = refused
app = QApplication(sys.argv[:1])
from station_app.ui.main_window import MainWindow
attach = MainWindow.attach
def attach_then_close(window, *args, **kwargs):
    attach(window, *args, **kwargs)
    QTimer.singleShot(0, app.quit)  # the station is open in the window: close the terminal
MainWindow.attach = attach_then_close
from station_app.app import run_gui
code = run_gui(Path(sys.argv[1]), demo=True)
print(code, full.count("station.db"))
"""


def test_a_cleanly_closed_terminal_starts_next_time_without_reading_every_page(
        tmp_path: Path) -> None:
    """Closing runs the verified backup and notes the file; the next start checks header,
    key and schema only. A start that does not close cleanly (here: its close backup fails)
    leaves no note, and the one after reads every page again. (Each start is its own
    process, as at a station.)"""
    from station_app.commands.demo_mode import prepare_station
    from station_app.store.clean_close import note_path

    data = tmp_path / "station"
    prepare_station(data, cases=5, secure=True)
    root = Path(__file__).resolve().parents[2]

    def start(how: str = "normal") -> tuple[int, int]:
        """(exit code, full checks of station.db) of one start and close."""
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run([sys.executable, "-c", CLOSE_AND_COUNT, str(data), how],
                              cwd=root, env=env, capture_output=True, text=True, timeout=120,
                              check=True)
        code, checks = done.stdout.split()[-2:]
        return int(code), int(checks)

    db = data / "station.db"
    assert start() == (0, 1) and note_path(db).exists()  # never closed by the terminal
    assert start() == (0, 0) and note_path(db).exists()
    assert start("backup-fails") == (0, 0) and not note_path(db).exists()
    assert start() == (0, 1)

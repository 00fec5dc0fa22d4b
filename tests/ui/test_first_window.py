"""The window shows before the station's database is open (``services.opening``,
``ui.station_opener``): searching works at once, and what a worker asks for in the moment
before the station is attached is done once it is."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app.domain.catalogue_origin import CatalogueSource
from station_app.domain.search import SearchIndex
from station_app.services.context import StationContext
from station_app.services.opening import Opening
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey
from station_app.ui.station_opener import StationOpening

ROOT = Path(__file__).resolve().parents[2]


MakeWindow = Callable[[StationContext | Opening], MainWindow]


def _opening(ctx: StationContext) -> Opening:
    return Opening(ctx.settings, ctx.catalogue, CatalogueSource.BUNDLED, ctx.operator)


def test_before_the_station_is_attached_the_search_works_and_a_page_asked_for_opens_after(
        qtbot: QtBot, make_window: MakeWindow, named_ctx: StationContext) -> None:
    w = make_window(_opening(named_ctx))
    assert not w.attached and w.services.search.hasFocus()
    with pytest.raises(StationOpening):
        _ = w.ctx
    all_items = w.services.model.rowCount()
    qtbot.keyClicks(w.services.search, "lnz")  # 老年证, by its initials
    assert 0 < w.services.model.rowCount() < all_items  # typing searches at once
    w.nav.buttons[PageKey.CASES].click()  # a worker quicker than the database
    assert w.pages.currentWidget() is w.services
    assert w.status_bar.connection.text() == "正在打开本站数据…"
    w.attach(named_ctx)
    assert w.status_bar.connection.text() != "正在打开本站数据…"  # the first figures
    assert w.attached and w.ctx is named_ctx
    assert w.pages.currentWidget() is w.cases  # what was asked for, now that it can be
    assert w.title.text() == "七里一村红色驿站"


def test_an_item_chosen_before_the_station_is_attached_opens_its_form_after(
        make_window: MakeWindow, named_ctx: StationContext) -> None:
    w = make_window(_opening(named_ctx))
    w.start_intake("RS04")
    assert w.built_intake is None  # nothing built without the station
    w.attach(named_ctx)
    page = w.built_intake
    assert page is not None and w.pages.currentWidget() is page
    assert page.session is not None and page.session.code == "RS04"
    assert page.form_view.widgets["name"].isVisible()


START_AND_LOOK = """
import sys
from collections.abc import Callable
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
import station_app.ui.station_opener as opener_module
from station_app.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
start = opener_module.StationOpener.start
def look_then_start(opener):
    focus = app.focusWidget()
    print("data-layer-loaded", "sqlalchemy" in sys.modules)
    print("loaded-for-nothing", sorted(m for m in ("yaml", "stdnum", "station_app.wire.protocol")
                                       if m in sys.modules))
    print("shown", any(w.isVisible() for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow)))
    print("typing-goes-to", type(focus).__name__ if focus else None,
          focus.accessibleName() if isinstance(focus, QLineEdit) else "")
    start(opener)
opener_module.StationOpener.start = look_then_start
attach = MainWindow.attach
def attach_then_close(window, *args, **kwargs):
    attach(window, *args, **kwargs)
    print("attached", window.ctx.operator)
    QTimer.singleShot(0, app.quit)
MainWindow.attach = attach_then_close
import station_app.app as app_module
from station_app.instance_lock import CLOSING_NOTE
close_backup = app_module.close_backup
def noted_then_back_up(ctx):
    print("closing-noted", (ctx.data_dir / CLOSING_NOTE).exists())
    return close_backup(ctx)
app_module.close_backup = noted_then_back_up
print("exit", app_module.run_gui(Path(sys.argv[1]), demo=True))
"""


def test_the_terminal_shows_a_window_to_type_into_before_the_data_layer_is_loaded(
        tmp_path: Path) -> None:
    """A whole start in its own process (as at a station): the window is shown, the search
    box has the keyboard, and SQLAlchemy is not loaded yet, nor what only a changed catalogue
    (PyYAML), a typed ID number (stdnum) or talking to the district (the wire's models)
    needs; then the station is attached."""
    from station_app.commands.demo_mode import DEMO_OPERATOR, DEMO_STAFF_NO, prepare_station

    data = tmp_path / "station"
    prepare_station(data, cases=3, secure=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", START_AND_LOOK, str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    assert lines[:4] == ["data-layer-loaded False", "loaded-for-nothing []", "shown True",
                         "typing-goes-to QLineEdit 查找事项"], done.stdout + done.stderr
    assert f"attached {DEMO_OPERATOR}（{DEMO_STAFF_NO}）" in lines and lines[-1] == "exit 0"
    # while it backs up at close, a terminal started on the folder waits for it
    assert "closing-noted True" in lines and not (data / "station.lock.closing").exists()


DAMAGED_START = """
import sys
from collections.abc import Callable
from pathlib import Path
from datetime import UTC, datetime
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import station_app.app as app_module
import station_app.signin_flow as signin_flow
from station_app.services.unlock import sign_in
from station_app.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
answer = sys.argv[2] == "yes"
def operator(folder, _demo):
    print("asked to sign in")
    return sign_in(folder, "A001", "correct-horse-7", datetime.now(UTC))
def confirm(question):
    print("offered", "是否用它恢复" in question)
    return answer
signin_flow.tell = lambda message: print("told", message.splitlines()[0][:4])
app_module.show_fatal = lambda message: print("refused", "\\n" not in message, message[:6])
attach = MainWindow.attach
def attach_then_close(window, *args, **kwargs):
    attach(window, *args, **kwargs)
    QTimer.singleShot(0, app.quit)
MainWindow.attach = attach_then_close
print("exit", app_module.run_gui(Path(sys.argv[1]), authenticate=operator, confirm=confirm))
"""


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_database_found_damaged_after_the_window_shows_is_offered_its_backup(
        tmp_path: Path, answer: str) -> None:
    """The operator signed in once; the restore offer (and a refusal) comes on the window."""
    from station_app.services.backups import MANUAL, take_backup
    from station_app.services.context import open_station
    from station_app.services.security import secure_station
    from station_app.vault.keyfile import CHEAP_PROFILE

    data = tmp_path / "station"
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password="correct-horse-7",
                              profile=CHEAP_PROFILE)
    ctx = open_station(data, key=admin.key, operator=admin.label)
    try:
        take_backup(ctx, MANUAL)
    finally:
        ctx.close()
    (data / "station.db").write_bytes(b"")  # a failed copy left it empty
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", DAMAGED_START, str(data), answer], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    assert lines.count("asked to sign in") == 1 and "offered True" in lines, done.stdout
    if answer == "yes":
        assert "told 已从备份" in lines and lines[-1] == "exit 0", done.stdout + done.stderr
    else:
        refused = [line for line in lines if line.startswith("refused")]
        assert len(refused) == 1 and refused[0].startswith("refused True")
        assert lines[-1] == "exit 1" and (data / "station.db").read_bytes() == b""


def test_the_window_built_on_a_station_is_whole_at_once(
        qtbot: QtBot, named_ctx: StationContext, search_index: SearchIndex) -> None:
    """Tests and screenshots build the window on an open station: attached from the start."""
    w = MainWindow(named_ctx, search_index)
    qtbot.addWidget(w)
    assert w.attached and w.counter is not None and w.ctx is named_ctx


FIRST_START = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import station_app.app as app_module
from station_app.services.security import secure_station
from station_app.ui.main_window import MainWindow
from station_app.vault.keyfile import CHEAP_PROFILE
app = QApplication(sys.argv[:1])
def first_administrator(folder, _demo):
    print("first administrator asked")
    who, _recovery = secure_station(folder, staff_no="A001", name="王芳",
                                    password="correct-horse-7", profile=CHEAP_PROFILE)
    return who
attach = MainWindow.attach
def attach_then_close(window, *args, **kwargs):
    attach(window, *args, **kwargs)
    print("attached", window.ctx.operator, window.ctx.db_key is not None)
    QTimer.singleShot(0, app.quit)
MainWindow.attach = attach_then_close
print("exit", app_module.run_gui(Path(sys.argv[1]), authenticate=first_administrator))
"""


def test_a_folder_never_secured_is_opened_then_secured_by_its_first_administrator(
        tmp_path: Path) -> None:
    """The one start that opens the database before the window: a new folder is checked,
    its first administrator secures it, and the window is given that encrypted station."""
    from station_app.services.unlock import is_secured

    data = tmp_path / "station"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", FIRST_START, str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    lines = done.stdout.splitlines()
    assert lines == ["first administrator asked", "attached 王芳（A001） True", "exit 0"], \
        done.stdout + done.stderr
    assert is_secured(data) and (data / "station.db").stat().st_size > 0

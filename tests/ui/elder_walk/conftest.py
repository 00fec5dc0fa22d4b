"""Fixtures of the acceptance walk (tests/ui/elder_walk): each walk runs in Chinese and in
English (the translation built from the .ts source, as the i18n walk does) and in both looks;
the main window is 1366×768.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from station_app.i18n import compile_translations, install_translator, lrelease_tool
from station_app.services.context import StationContext
from station_app.services.demo import fill_demo_cases
from station_app.ui.main_window import MainWindow
from station_app.ui.theme import ELDER, STANDARD, Theme
from tests.ui.elder_walk.walk import SCREEN, settle


@pytest.fixture(params=["zh", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication,
             tmp_path: Path) -> Iterator[str]:
    """The interface language: the source strings, or the English translation installed."""
    if request.param == "zh":
        yield "zh"
        return
    if lrelease_tool() is None:
        pytest.skip("PySide6 without lrelease")
    built = compile_translations(tmp_path / "qm", force=True)
    translators = install_translator(qapp, "en", tmp_path / "qm")
    assert built and QCoreApplication.translate("MainWindow", "事项") == "Services"
    try:
        yield "en"
    finally:
        for t in translators:
            qapp.removeTranslator(t)


@pytest.fixture(params=[ELDER, STANDARD], ids=["elder", "standard"])
def theme(request: pytest.FixtureRequest) -> Theme:
    t: Theme = request.param
    return t


@pytest.fixture
def walk_window(language: str, theme: Theme, named_ctx: StationContext,
                make_window: Callable[[StationContext], MainWindow],
                use_theme: Callable[[Theme], None]) -> MainWindow:
    """The main window at 1366×768 in the look and language under test, with demo cases."""
    fill_demo_cases(named_ctx, 30, seed=7)
    w = make_window(named_ctx)
    w.use_theme(theme)
    use_theme(theme)
    w.resize(*SCREEN)
    settle()
    return w



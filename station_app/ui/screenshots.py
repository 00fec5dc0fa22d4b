"""Put the window through every screen, in both looks, and save each as a PNG.

Used by `station-app screenshots` (README pictures, review of the 长辈版) and by its test.
Only public page methods are used, so a screenshot shows what a worker would see. `grab` is
the one way a widget becomes a PNG file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey, UnavailablePage
from station_app.ui.theme import ELDER, STANDARD, THEMES, Theme

log = logging.getLogger(__name__)

SIZE = (1366, 768)
Step = Callable[[MainWindow], bool]  # puts the window on a screen; False: not available


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _services(query: str, code: str | None = None) -> Step:
    def step(w: MainWindow) -> bool:
        w.show_first_run(False)
        w.go_to(PageKey.SERVICES)
        w.services.search.setText(query)
        if code is not None:
            row = w.services.model.row_of(code)
            if row >= 0:
                w.services.results.setCurrentIndex(w.services.model.index(row, 0))
        return True
    return step


# A made-up resident (valid check digit), typed only into throwaway demo stations.
SAMPLE = {"name": "张秀英", "id_number": "11010519491231002X", "phone": "13800000000",
          "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险",
          "auth_method": "柜台人脸识别", "auth_result": "认证通过"}


def _open_intake(w: MainWindow, sample: bool) -> bool:
    page = w.intake
    if isinstance(page, UnavailablePage):
        return False
    w.show_first_run(False)
    w.start_intake("RS04")
    if sample and page.session is not None:
        session, view = page.session, page.form_view
        try:
            view.set_values(SAMPLE)
            for key in SAMPLE:  # as if typed: the page's session hears of each value
                if key in view.widgets:
                    session.set_value(key, view.widgets[key].value())
            page.refresh()
        except Exception:  # a screenshot must not fail on one sample value
            log.exception("示例数据未能填入受理表单")
    return True


def _intake(sample: bool) -> Step:
    return lambda w: _open_intake(w, sample)


def _intake_review(sample: bool) -> Step:
    def step(w: MainWindow) -> bool:
        page = w.intake
        if isinstance(page, UnavailablePage) or not _open_intake(w, sample):
            return False
        _settle()
        page.show_review()
        return True
    return step


def _page(key: PageKey) -> Step:
    def step(w: MainWindow) -> bool:
        w.show_first_run(False)
        w.go_to(key)
        return True
    return step


def _cases(row: int) -> Step:
    """The 办件 list with the case in ``row`` selected: the newest (what the list opens
    with), or another one for the detail picture, so the two pictures differ in each look."""
    def step(w: MainWindow) -> bool:
        page = w.cases
        if isinstance(page, UnavailablePage):
            return False
        w.show_first_run(False)
        w.go_to(PageKey.CASES)
        if page.model.rowCount() > row:
            page.select_row(row)
        return True
    return step


def _first_run(w: MainWindow) -> bool:
    w.show_first_run(True)
    return True


def screens(sample: bool) -> tuple[tuple[str, Step], ...]:
    """Every screen in README order; `sample` types a made-up resident into the form."""
    return (
        ("services", _services("退休")),
        ("services-detail", _services("救助", "BD03")),
        ("intake", _intake(sample)),
        ("intake-review", _intake_review(sample)),
        ("cases", _cases(0)),
        ("cases-detail", _cases(2)),
        ("settings", _page(PageKey.SETTINGS)),
        ("first-run", _first_run),
    )


def _resident(w: MainWindow, what: str, sample: bool) -> bool:
    """The resident's view as it fills the window on a one-screen counter (the same view
    fills the resident's own monitor when there is one)."""
    desk = w.counter.desk
    w.show_first_run(False)
    if what == "idle":
        desk.show_idle()
        w.take_over(True)  # shown here as it is on a resident's own monitor
        return True
    page = w.intake
    if isinstance(page, UnavailablePage) or not _open_intake(w, sample):
        return False
    session = page.session
    if session is None:
        return False
    if what == "review":
        desk.show_confirmation(session.confirmation(full_id=True))
    else:
        desk.show_rating(f"{session.form.title}　{SAMPLE['name'][0]}**")
    return True


RESIDENT_SCREENS = ("idle", "review", "rating")


def grab(widget: QWidget, path: Path) -> Path:
    """Save what ``widget`` shows now (events processed first) as a PNG at ``path``."""
    _settle()
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(QCoreApplication.translate("Screenshots", "无法写入 {0}").format(path))
    return path


def take_screenshots(window: MainWindow, outdir: Path, *, sample: bool = False,
                     themes: tuple[Theme, ...] = (STANDARD, ELDER)) -> list[Path]:
    """One PNG per available screen and theme: ``<screen>-<theme>.png``, then the
    resident's view: ``resident-idle.png``, ``resident-review.png``, ``resident-rating.png``.

    `sample` only on throwaway stations: the typed resident is kept as a draft.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    window.show()
    written: list[Path] = []
    for theme in themes:
        window.use_theme(theme)
        for name, step in screens(sample):
            if step(window):
                written.append(grab(window, outdir / f"{name}-{theme.key}.png"))
    for what in RESIDENT_SCREENS:  # always large print, whatever the worker's theme
        if _resident(window, what, sample):
            written.append(grab(window, outdir / f"resident-{what}.png"))
    window.counter.desk.show_idle()
    window.use_theme(THEMES[window.ctx.settings.theme])
    window.show_first_run(False)
    window.go_to(PageKey.SERVICES)
    return written

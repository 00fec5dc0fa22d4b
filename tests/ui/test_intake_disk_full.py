"""The intake screen on a full disk: 确认无误，提交 shows the store's one Chinese line (what
happened, which folder, what to do), never "(sqlite3.OperationalError) database or disk is
full"; the answers stay on screen, and the same click saves once there is room again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import select

from station_app.config import StationSettings, save_settings
from station_app.services.context import StationContext, open_station
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.ui.intake import IntakePage
from tests.helpers.disks import MiB, fill_disk, small_disk

from .test_intake_flow import GOOD_ID, ID_MATERIAL, Typer, activate, fill_rs04_without_material


@pytest.fixture
def disk_ctx(tmp_path: Path) -> Iterator[tuple[StationContext, Path]]:
    """A named station whose data folder is on an 8 MiB disk."""
    with small_disk(tmp_path / "disk", 8 * MiB) as disk:
        ctx = open_station(disk / "station")
        ctx.settings = StationSettings(station_id="QDK01", station_name="七里一村红色驿站")
        save_settings(ctx.data_dir, ctx.settings)
        try:
            yield ctx, disk
        finally:
            ctx.close()


def test_a_full_disk_is_one_line_on_the_confirm_screen(
        qtbot: QtBot, disk_ctx: tuple[StationContext, Path],
        make_intake: Callable[..., IntakePage], type_text: Typer) -> None:
    ctx, disk = disk_ctx
    page = make_intake("RS04", ctx=ctx)
    activate(qtbot, page)
    fill_rs04_without_material(qtbot, page, type_text)
    type_text(page.form_view.widgets["id_number"].inputs()[0], GOOD_ID)
    page.form_page.materials.box(ID_MATERIAL).click()
    assert page.try_submit()
    filler = fill_disk(disk, leave=16 * 1024)

    with qtbot.assertNotEmitted(page.submitted):
        page.confirm_view.confirm_button.click()
    shown = page.confirm_view.error.text()
    assert page.confirm_view.error.isVisible() and "未能保存" in shown
    assert "磁盘已满" in shown and str(ctx.data_dir) in shown and "清理" in shown, shown
    for english in ("sqlite", "OperationalError", "disk is full"):
        assert english not in shown, shown
    assert "\n" not in shown and page.confirm_view.confirm_button.isEnabled()
    with session_scope(ctx.engine) as s:
        assert s.exec(select(Submission)).all() == []

    filler.unlink()  # IT makes room; the worker presses the button again
    with qtbot.waitSignal(page.submitted):
        page.confirm_view.confirm_button.click()
    with session_scope(ctx.engine) as s:
        assert len(s.exec(select(Submission)).all()) == 1

"""设置: the reader's rows follow the schema, save like every other setting, and say in one
line what keeps the saved reader from working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app.config import StationSettings, load_settings
from station_app.services.context import StationContext, open_station
from station_app.services.settings_form import store_settings
from station_app.ui.settings_page import SettingsPage


@pytest.fixture
def station(tmp_path: Path) -> Iterator[StationContext]:
    ctx = open_station(tmp_path / "station")
    try:
        yield ctx
    finally:
        ctx.close()


def page_of(qtbot: QtBot, ctx: StationContext) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_the_reader_settings_are_saved(qtbot: QtBot, station: StationContext,
                                       standin_libraries: dict[str, Path]) -> None:
    page = page_of(qtbot, station)
    note = page.rows["card_driver"].note
    assert not note.isVisibleTo(page)  # no reader: nothing to say
    page.card_driver.setCurrentIndex(page.card_driver.findData("termb"))
    page.card_library.setText(str(standin_libraries["termb"]))
    page.card_port.setValue(1002)
    assert page.save()
    saved = load_settings(station.data_dir)
    assert (saved.card_driver, saved.card_library, saved.card_port) == (
        "termb", str(standin_libraries["termb"]), 1002)
    assert not note.isVisibleTo(page)  # the library works


def test_a_port_out_of_range_is_explained(qtbot: QtBot, station: StationContext) -> None:
    page = page_of(qtbot, station)
    page.card_port.setValue(0)
    assert not page.save()
    assert page.rows["card_port"].error.text() == "错误：阅读器端口须在 1 到 9999之间"


def test_an_unusable_library_is_said_under_the_reader(qtbot: QtBot, station: StationContext,
                                                      standin_libraries: dict[str, Path]
                                                      ) -> None:
    store_settings(station, StationSettings(card_driver="sdtapi",
                                            card_library=str(standin_libraries["termb"])))
    page = page_of(qtbot, station)
    note = page.rows["card_driver"].note
    assert note.isVisibleTo(page) and "缺少 SDT_OpenPort" in note.text()
    assert page.card_driver.currentData() == "sdtapi"
    assert page.card_library.text() == str(standin_libraries["termb"])

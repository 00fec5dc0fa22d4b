"""Which reader the settings name, opened; and what is wrong with it, in one line.

``open_reader`` is what the polling worker calls (on its own thread: the device stays on the
thread that opened it). ``reader_problem`` is what doctor, 设置 and the status bar show: None
when the reader can be used, else one Chinese line saying what to do. Without ``open_port``
it only loads the library and checks its functions, which is safe beside a terminal that has
the port open; with it, the port is opened and closed again (``card test``).

Keyboard-wedge readers need no library and no port: their numbers arrive as key presses
(``ui.card_wedge``), so their device never has a card to poll.
"""

from __future__ import annotations

from typing import Final

from station_app.services.card_drivers import sdtapi, termb
from station_app.services.card_drivers.library import LABELS, ReaderUnavailable, library_name
from station_app.services.id_card import IdCardData, IdCardReadError, NoReader, ReaderDevice
from station_app.settings_schema import StationSettings

CHIP_DRIVERS: Final = ("sdtapi", "termb")


class KeyboardWedge:
    """The device of a keyboard-wedge reader: cards come as keys, polling finds none."""

    def read(self) -> IdCardData | None:
        return None

    def close(self) -> None:
        """Nothing is open."""


def open_reader(settings: StationSettings) -> ReaderDevice:
    """The configured reader, its port open; :class:`ReaderUnavailable` with one line if not.

    ``none`` gives :class:`NoReader` (reading says to type the values).
    """
    driver = settings.card_driver
    if driver == "none":
        return NoReader()
    if driver == "keyboard":
        return KeyboardWedge()
    name = library_name(driver, settings.card_library)
    if driver == "sdtapi":
        return sdtapi.SdtapiReader(name, settings.card_port)
    return termb.TermbReader(name, settings.card_port)


def reader_problem(settings: StationSettings, *, open_port: bool = False) -> str | None:
    """None when the configured reader can be used, else one Chinese line saying what to do.

    ``none`` and ``keyboard`` have nothing that can be missing.
    """
    driver = settings.card_driver
    if driver not in CHIP_DRIVERS:
        return None
    name = library_name(driver, settings.card_library)
    try:
        if open_port:
            open_reader(settings).close()
        else:
            (sdtapi if driver == "sdtapi" else termb).load(name)
    except IdCardReadError as e:
        return str(e)
    return None


def describe(settings: StationSettings) -> str:
    """The configured reader in words: type, library and port (for doctor and 设置)."""
    driver = settings.card_driver
    if driver == "none":
        return "未使用（手工录入；在设置中选择阅读器类型后可刷证）"
    if driver == "keyboard":
        return "键盘式阅读器（刷证时输入号码并回车）"
    name = library_name(driver, settings.card_library)
    return f"{LABELS[driver]}，动态库 {name}，端口 {settings.card_port}"


__all__ = ["CHIP_DRIVERS", "KeyboardWedge", "ReaderUnavailable", "describe", "open_reader",
           "reader_problem"]

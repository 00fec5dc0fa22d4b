"""Loading a vendor's reader library with ctypes, every failure as one Chinese line.

The library is the vendor's (installed with its driver), found by the path in the settings
or, when none is given, by the vendor's usual file name through the system's library search.
A missing file, a library built for another machine (32-bit DLL on 64-bit Python) and a library
of the other vendor (a symbol missing) are the three ways installation goes wrong, so each has
its own sentence saying what to do. Loading only maps the file: no port is opened, so it is
safe to check beside a running terminal that has the reader open.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from station_app.services.id_card import IdCardReadError

DEFAULT_NAMES: Final[dict[str, tuple[str, str]]] = {
    # driver: (Windows DLL, Linux shared object) as the vendors ship them
    "sdtapi": ("sdtapi.dll", "libsdtapi.so"),
    "termb": ("termb.dll", "libtermb.so"),
}
LABELS: Final = {"sdtapi": "SDTAPI（精伦等）", "termb": "termb（华视等）"}
REASON_LIMIT: Final = 120


class ReaderUnavailable(IdCardReadError):
    """The reader cannot be used at all (library or port): reading again will not help."""


def library_name(driver: str, configured: str | None) -> str:
    """The path in the settings, else the vendor's file name for this system."""
    if configured:
        return configured
    windows, linux = DEFAULT_NAMES[driver]
    return windows if sys.platform == "win32" else linux


def _one_line(error: OSError) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= REASON_LIMIT else text[:REASON_LIMIT] + "…"


def _has_folder(name: str) -> bool:
    return "/" in name or "\\" in name


def open_library(name: str) -> ctypes.CDLL:
    """The library mapped into this process; :class:`ReaderUnavailable` if it cannot be."""
    if _has_folder(name) and not Path(name).is_file():
        raise ReaderUnavailable(f"找不到身份证阅读器的动态库 {name}：请安装阅读器厂商的驱动，"
                                "或在设置中改正动态库的路径")
    try:
        if sys.platform == "win32":  # the vendors' DLLs use the WINAPI calling convention
            return ctypes.WinDLL(name)
        return ctypes.CDLL(name)
    except OSError as e:
        if not _has_folder(name):
            raise ReaderUnavailable(
                f"找不到身份证阅读器的动态库 {name}（系统库目录中没有）：请安装阅读器厂商的驱动，"
                "或在设置中填写动态库的完整路径") from None
        raise ReaderUnavailable(
            f"无法加载身份证阅读器动态库 {name}（{_one_line(e)}）：请安装与本机系统匹配"
            "（64 位）的厂商驱动") from None


def require_symbols(lib: ctypes.CDLL, name: str, driver: str,
                    symbols: Sequence[str]) -> None:
    """Raise :class:`ReaderUnavailable` naming the first function the library lacks."""
    for symbol in symbols:
        try:
            getattr(lib, symbol)
        except AttributeError:
            raise ReaderUnavailable(
                f"动态库 {name} 不是 {LABELS[driver]} 接口（缺少 {symbol}）：请在设置中选择"
                "与阅读器相符的类型，或改正动态库的路径") from None


Signatures = Mapping[str, Sequence[Any]]  # function name -> ctypes argument types


def load_library(name: str, driver: str, signatures: Signatures) -> ctypes.CDLL:
    """The vendor library with every function of ``signatures`` present and typed (each
    returns a C int); no port opened. Missing functions are one line, naming them."""
    lib = open_library(name)
    require_symbols(lib, name, driver, tuple(signatures))
    for symbol, args in signatures.items():
        function = getattr(lib, symbol)
        function.argtypes = list(args)
        function.restype = ctypes.c_int
    return lib


def port_refused(port: int) -> ReaderUnavailable:
    return ReaderUnavailable(f"无法打开身份证阅读器端口 {port}：请检查阅读器的电源和 USB 线，"
                             "以及设置中的端口号（USB 阅读器一般为 1001），并关闭其他占用阅读器"
                             "的程序")

"""`station-app card test`: read one card with the configured (or given) reader, at install.

IT places a card and sees at once whether library, port and reader work: the masked name and
number, what the chip says (sex, birth, nation, validity, kind), exit 0; or one line saying what
to do, exit 1. It reads the station's settings only (no sign-in: nothing stored is read) and
never writes. The data shown is masked as on receipts; the birth date is the card holder's own
and is what IT compares with the card in hand. The reader is polled on this thread, the one
that opened it, as the drivers require.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from typing import Final

from pydantic import ValidationError

from station_app.commands.common import data_dir_of, fail
from station_app.config import SettingsError, StationSettings, load_settings
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.id_card_data import IdCardData
from station_app.domain.masking import mask_id, mask_name
from station_app.services.card_drivers import open_reader
from station_app.services.card_drivers.wedge import card_from_number
from station_app.services.id_card import IdCardReadError
from station_app.settings_errors import settings_problems

POLL_SECONDS: Final = 0.2
OPTIONS: Final = {"card_driver": "--driver", "card_library": "--library", "card_port": "--port"}
NO_DRIVER: Final = "本机未设置身份证阅读器：请在设置中选择阅读器类型，或用 --driver 指定"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("card", help="身份证阅读器：读卡测试 / ID-card reader: test read",
                       description="身份证阅读器 / ID-card reader")
    csub = p.add_subparsers(dest="card_command", required=True, metavar="ACTION")
    test = csub.add_parser(
        "test", help="读一张身份证并显示（打码）/ read one card and show it (masked)",
        description="用设置中（或指定）的阅读器读一张身份证；读到退出码 0，否则 1 / "
                    "read one card with the configured or given reader; exit 0 when read")
    test.add_argument("--driver", choices=("sdtapi", "termb", "keyboard"),
                      help="阅读器类型（默认用设置中的）/ reader type")
    test.add_argument("--library", metavar="PATH",
                      help="厂商动态库路径 / vendor library path")
    test.add_argument("--port", type=int, metavar="N", help="端口号（USB 一般为 1001）/ port")
    test.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                      help="等待放卡的秒数（默认 10）/ how long to wait for a card")
    test.set_defaults(handler=run_test)


def _settings(args: argparse.Namespace) -> StationSettings:
    """The station's settings with the options given on the command line laid over them."""
    given = {key: value for key, value in (("card_driver", args.driver),
                                           ("card_library", args.library),
                                           ("card_port", args.port)) if value is not None}
    try:
        base = load_settings(data_dir_of(args), migrate_file=False)
    except SettingsError:
        if "card_driver" not in given:
            raise
        base = StationSettings()  # the reader's options are all given: the file is not needed
    return StationSettings.model_validate({**base.model_dump(), **given})


def run_test(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except SettingsError as e:
        return fail(str(e))
    except ValidationError as e:
        return fail("；".join(p.line(OPTIONS.get(p.key)) for p in settings_problems(e)))
    if settings.card_driver == "none":
        return fail(NO_DRIVER)
    try:
        card = _read_line() if settings.card_driver == "keyboard" else _poll(settings, args.wait)
    except IdCardReadError as e:
        return fail(str(e))
    except KeyboardInterrupt:
        return fail("读卡测试已取消")
    if card is None:
        return fail(f"{args.wait:g} 秒内没有读到身份证：请把证件平放在阅读器上再试"
                    "（可用 --wait 加长等待）")
    for line in card_lines(card, datetime.now(CHINA_TZ).date()):
        print(line)
    return 0


def _prompt(text: str) -> None:
    """Tell a person at the terminal to place the card; scripts get only the result."""
    if sys.stdout.isatty():
        print(text, flush=True)


def _read_line() -> IdCardData:
    _prompt("请刷身份证（键盘式阅读器会输入号码并回车）…")
    line = sys.stdin.readline().strip()
    if not line:
        raise IdCardReadError("没有读到号码：请在阅读器上刷身份证，阅读器应输入号码并回车")
    return card_from_number(line)


def _poll(settings: StationSettings, wait: float) -> IdCardData | None:
    reader = open_reader(settings)
    try:
        _prompt(f"请把身份证放在阅读器上（最多等 {wait:g} 秒）…")
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            card = reader.read()
            if card is not None or time.monotonic() >= deadline:
                return card
            time.sleep(POLL_SECONDS)
    finally:
        reader.close()


def _validity(card: IdCardData, today: date) -> str:
    if card.valid_from is None:
        return "（未读到）"
    end = "长期" if card.valid_until is None else f"{card.valid_until:%Y-%m-%d}"
    return f"{card.valid_from:%Y-%m-%d} 至 {end}" + ("（已过期）" if card.expired_on(today)
                                                     else "")


def card_lines(card: IdCardData, today: date) -> list[str]:
    """What ``card test`` prints: a masked summary line, then one line per field."""
    name = mask_name(card.name) if card.name else "（键盘式阅读器只输入号码）"
    number = mask_id(card.id_number)
    return [
        f"读卡成功：{card.kind.label} {name} {number}",
        f"姓名：{name}",
        f"证件号码：{number}",
        f"性别：{card.sex or '（未读到）'}",
        f"出生日期：{card.birth:%Y-%m-%d}" if card.birth else "出生日期：（未读到）",
        f"民族：{card.nation or '（无）'}",
        f"有效期限：{_validity(card, today)}",
        f"证件类型：{card.kind.label}",
    ]

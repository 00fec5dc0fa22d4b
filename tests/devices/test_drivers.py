"""The ctypes drivers against the stand-in SDTAPI and termb libraries, scenario by scenario."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from station_app.domain.idcard import IdKind
from station_app.services.card_drivers import (
    KeyboardWedge,
    ReaderUnavailable,
    describe,
    open_reader,
    reader_problem,
)
from station_app.services.card_drivers.messages import INTERRUPTED, NOT_ANSWERING
from station_app.services.id_card import IdCardReadError, NoReader, ReaderDevice
from station_app.settings_schema import StationSettings
from tests.devices.conftest import PlaceCard

DRIVERS = ("sdtapi", "termb")


def settings_for(driver: str, library: Path | str, port: int = 1001) -> StationSettings:
    return StationSettings(card_driver=driver, card_library=str(library), card_port=port)


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def reader(driver: str, standin_libraries: dict[str, Path],
           place_card: PlaceCard) -> Iterator[ReaderDevice]:
    device = open_reader(settings_for(driver, standin_libraries[driver]))
    yield device
    device.close()


def test_a_normal_card_is_read_in_full(reader: ReaderDevice, place_card: PlaceCard) -> None:
    place_card("card")
    card = reader.read()
    assert card is not None
    assert (card.name, card.id_number, card.sex, card.nation, card.birth) == (
        "张三丰", "42010519600101001X", "男", "汉", date(1960, 1, 1))
    assert card.address == "湖北省武汉市汉阳区琴断口街道七里一村12栋3单元201"
    assert card.issuer == "武汉市公安局汉阳分局"
    assert card.valid_from == date(2015, 1, 1) and card.long_term
    assert card.kind is IdKind.RESIDENT


def test_no_card_is_none_and_polling_again_finds_the_card(reader: ReaderDevice,
                                                          place_card: PlaceCard) -> None:
    assert reader.read() is None
    assert reader.read() is None
    place_card("card")
    card = reader.read()
    assert card is not None and card.name == "张三丰"


def test_an_expired_card(reader: ReaderDevice, place_card: PlaceCard) -> None:
    place_card("expired")
    card = reader.read()
    assert card is not None and card.valid_until == date(2020, 1, 1)
    assert card.expired_on(date(2020, 1, 2)) and not card.expired_on(date(2020, 1, 1))


def test_a_fifteen_character_name(reader: ReaderDevice, place_card: PlaceCard) -> None:
    place_card("long_name")
    card = reader.read()
    assert card is not None
    assert card.name == "阿依古丽·买买提艾力·吐尔逊江" and len(card.name) == 15
    assert (card.nation, card.sex) == ("维吾尔", "女")


@pytest.mark.parametrize(("word", "kind"), [("hk_macao", IdKind.HK_MACAO_PERMIT),
                                            ("taiwan", IdKind.TAIWAN_PERMIT)])
def test_residence_permits(reader: ReaderDevice, place_card: PlaceCard, word: str,
                           kind: IdKind) -> None:
    place_card(word)
    card = reader.read()
    assert card is not None and card.kind is kind and card.nation == ""


@pytest.mark.parametrize(("word", "message"), [("error", NOT_ANSWERING),
                                               ("removed", INTERRUPTED)])
def test_read_errors_are_one_line(reader: ReaderDevice, place_card: PlaceCard, word: str,
                                  message: str) -> None:
    place_card(word)
    with pytest.raises(IdCardReadError) as err:
        reader.read()
    assert str(err.value) == message and "\n" not in message
    place_card("card")  # the reader is still usable after an error
    assert reader.read() is not None


def test_damaged_bytes_name_the_field(reader: ReaderDevice, place_card: PlaceCard) -> None:
    place_card("garbled")
    with pytest.raises(IdCardReadError, match="出生日期“1960AB01”"):
        reader.read()


def test_a_port_that_cannot_be_opened(driver: str, standin_libraries: dict[str, Path],
                                      place_card: PlaceCard) -> None:
    place_card("no_port")
    settings = settings_for(driver, standin_libraries[driver], port=1003)
    with pytest.raises(ReaderUnavailable, match="无法打开身份证阅读器端口 1003"):
        open_reader(settings)
    assert reader_problem(settings) is None  # the library itself is fine
    problem = reader_problem(settings, open_port=True)
    assert problem is not None and "端口 1003" in problem


def test_the_reader_stays_on_the_thread_that_opened_it(reader: ReaderDevice) -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            reader.read()
        except RuntimeError as e:
            errors.append(e)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert len(errors) == 1


def test_close_twice_is_harmless_and_reading_after_it_is_refused(
        driver: str, standin_libraries: dict[str, Path], place_card: PlaceCard) -> None:
    device = open_reader(settings_for(driver, standin_libraries[driver]))
    device.close()
    device.close()
    with pytest.raises(RuntimeError):
        device.read()


# --- libraries that cannot be used -------------------------------------------------------

def test_a_missing_library_file(driver: str, tmp_path: Path) -> None:
    settings = settings_for(driver, tmp_path / "vendor" / "libreader.so")
    problem = reader_problem(settings)
    assert problem is not None and problem.startswith("找不到身份证阅读器的动态库")
    assert str(tmp_path / "vendor" / "libreader.so") in problem and "\n" not in problem
    with pytest.raises(ReaderUnavailable):
        open_reader(settings)


def test_the_default_vendor_name_not_installed(driver: str) -> None:
    problem = reader_problem(StationSettings(card_driver=driver))
    assert problem is not None and "系统库目录中没有" in problem
    assert f"lib{driver}.so" in problem


def test_a_file_that_is_not_a_library(driver: str, tmp_path: Path) -> None:
    fake = tmp_path / "libfake.so"
    fake.write_text("not a library\n", encoding="ascii")
    problem = reader_problem(settings_for(driver, fake))
    assert problem is not None and problem.startswith("无法加载身份证阅读器动态库")
    assert "\n" not in problem


def test_the_other_vendors_library_lacks_the_functions(
        standin_libraries: dict[str, Path]) -> None:
    problem = reader_problem(settings_for("sdtapi", standin_libraries["termb"]))
    assert problem is not None and "缺少 SDT_OpenPort" in problem
    problem = reader_problem(settings_for("termb", standin_libraries["sdtapi"]))
    assert problem is not None and "缺少 CVR_InitComm" in problem


def test_no_reader_and_keyboard_have_nothing_to_check() -> None:
    assert reader_problem(StationSettings()) is None
    assert isinstance(open_reader(StationSettings()), NoReader)
    wedge = open_reader(StationSettings(card_driver="keyboard"))
    assert isinstance(wedge, KeyboardWedge) and wedge.read() is None
    assert reader_problem(StationSettings(card_driver="keyboard"), open_port=True) is None


def test_describe_names_type_library_and_port(standin_libraries: dict[str, Path]) -> None:
    text = describe(settings_for("termb", standin_libraries["termb"], port=1002))
    assert "termb" in text and str(standin_libraries["termb"]) in text and "1002" in text
    assert "手工录入" in describe(StationSettings())

"""`station-app card test` as IT runs it: a subprocess per scenario and library, then the
settings and options around it in-process."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from station_app.cli import main
from station_app.config import SETTINGS_FILE, StationSettings, save_settings
from station_app.services.card_drivers.messages import INTERRUPTED, NOT_ANSWERING
from tests.devices.conftest import PlaceCard, scenario_env

NO_CARD = "错误：0.2 秒内没有读到身份证：请把证件平放在阅读器上再试（可用 --wait 加长等待）"
SCENARIOS = [
    ("card", 0, "读卡成功：居民身份证 张*丰 420***********001X"),
    ("expired", 0, "读卡成功：居民身份证 李* 420***********0313"),
    ("long_name", 0, "读卡成功：居民身份证 阿*************江 650***********022X"),
    ("hk_macao", 0, "读卡成功：港澳居民居住证 陈*文 810***********0137"),
    ("none", 1, NO_CARD),
    ("error", 1, f"错误：{NOT_ANSWERING}"),
    ("removed", 1, f"错误：{INTERRUPTED}"),
]
FULL_VALUES = ("42010519600101001X", "张三丰", "65010219580308022X", "810000198507150137")


def run_cli(data_dir: Path, env: dict[str, str], *args: str,
            stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "station_app.cli", "--data-dir",
                           str(data_dir), "card", "test", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("driver", ["sdtapi", "termb"])
@pytest.mark.parametrize(("word", "code", "line"), SCENARIOS)
def test_each_scenario_prints_the_masked_line(tmp_path: Path, place_card: PlaceCard,
                                              standin_libraries: dict[str, Path], driver: str,
                                              word: str, code: int, line: str) -> None:
    scenario = place_card(word)
    res = run_cli(tmp_path / "station", scenario_env(scenario), "--driver", driver,
                  "--library", str(standin_libraries[driver]), "--wait", "0.2")
    assert res.returncode == code, res.stderr
    if code == 0:
        assert res.stdout.splitlines()[0] == line and res.stderr == ""
        assert not any(value in res.stdout for value in FULL_VALUES)
    else:
        assert res.stderr.splitlines() == [line] and res.stdout == ""
    if word == "expired":
        assert "有效期限：2000-01-01 至 2020-01-01（已过期）" in res.stdout.splitlines()
    if word == "card":
        assert res.stdout.splitlines()[1:] == [
            "姓名：张*丰", "证件号码：420***********001X", "性别：男", "出生日期：1960-01-01",
            "民族：汉", "有效期限：2015-01-01 至 长期", "证件类型：居民身份证"]


@pytest.mark.parametrize(("library", "start"), [
    ("missing", "错误：找不到身份证阅读器的动态库"),
    ("termb", "错误：动态库"),  # termb's library given as SDTAPI: SDT_OpenPort is missing
])
def test_an_unusable_library_is_one_line(tmp_path: Path, place_card: PlaceCard,
                                         standin_libraries: dict[str, Path], library: str,
                                         start: str) -> None:
    path = tmp_path / "libnone.so" if library == "missing" else standin_libraries[library]
    res = run_cli(tmp_path / "station", scenario_env(place_card("card")), "--driver",
                  "sdtapi", "--library", str(path))
    assert res.returncode == 1 and res.stdout == ""
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith(start)
    if library == "termb":
        assert "缺少 SDT_OpenPort" in res.stderr


# --- in-process: settings, options and the keyboard reader -----------------------------

def card_test(capsys: pytest.CaptureFixture[str], data_dir: Path,
              *args: str) -> tuple[int, list[str], list[str]]:
    rc = main(["--data-dir", str(data_dir), "card", "test", *args])
    out, err = capsys.readouterr()
    return rc, out.splitlines(), err.splitlines()


def test_the_configured_reader_is_used(tmp_path: Path, place_card: PlaceCard,
                                       standin_libraries: dict[str, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(tmp_path, StationSettings(card_driver="termb", card_port=1002,
                                            card_library=str(standin_libraries["termb"])))
    place_card("taiwan")
    rc, out, err = card_test(capsys, tmp_path, "--wait", "0")
    assert (rc, err) == (0, [])
    assert out[0] == "读卡成功：台湾居民居住证 林*玲 830***********0247"
    assert "民族：（无）" in out


def test_options_override_the_settings(tmp_path: Path, place_card: PlaceCard,
                                       standin_libraries: dict[str, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(tmp_path, StationSettings(card_driver="termb",
                                            card_library=str(tmp_path / "gone.so")))
    place_card("card")
    rc, out, _ = card_test(capsys, tmp_path, "--library", str(standin_libraries["termb"]))
    assert rc == 0 and out[0].startswith("读卡成功")


def test_no_reader_configured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = card_test(capsys, tmp_path)
    assert (rc, out) == (1, [])
    assert err == ["错误：本机未设置身份证阅读器：请在设置中选择阅读器类型，或用 --driver 指定"]


def test_a_bad_port_names_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = card_test(capsys, tmp_path, "--driver", "sdtapi", "--port", "0")
    assert rc == 1 and err == ["错误：--port：阅读器端口须在 1 到 9999之间"]


def test_a_broken_settings_file(tmp_path: Path, place_card: PlaceCard,
                                standin_libraries: dict[str, Path],
                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / SETTINGS_FILE).write_text("card_port = \n", encoding="utf-8")
    rc, _, err = card_test(capsys, tmp_path)
    assert rc == 1 and len(err) == 1 and SETTINGS_FILE in err[0]
    place_card("card")  # every reader option given: the file is not needed
    rc, out, _ = card_test(capsys, tmp_path, "--driver", "sdtapi", "--library",
                           str(standin_libraries["sdtapi"]))
    assert rc == 0 and out[0].startswith("读卡成功")


@pytest.mark.parametrize(("typed", "code", "first"), [
    ("42010519600101001x\n", 0,
     "读卡成功：居民身份证 （键盘式阅读器只输入号码） 420***********001X"),
    ("420105196001010010\n", 1, "错误：阅读器输入的不是有效的身份证号（"),
    ("", 1, "错误：没有读到号码："),
])
def test_the_keyboard_reader_reads_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch, typed: str,
                                            code: int, first: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    rc, out, err = card_test(capsys, tmp_path, "--driver", "keyboard")
    assert rc == code
    assert (out or err)[0].startswith(first)
    if code == 0:
        assert "出生日期：1960-01-01" in out and "有效期限：（未读到）" in out

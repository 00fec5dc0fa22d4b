"""`station-app doctor` says in one line whether the configured reader's library can be used."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_app.cli import main
from station_app.config import StationSettings, save_settings


def reader_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> list[str]:
    main(["--data-dir", str(data_dir), "doctor", "--timeout", "1"])
    return [line for line in capsys.readouterr().out.splitlines() if "身份证阅读器" in line]


def test_a_usable_library_is_a_tick(tmp_path: Path, standin_libraries: dict[str, Path],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    library = standin_libraries["sdtapi"]
    save_settings(tmp_path, StationSettings(card_driver="sdtapi", card_library=str(library)))
    [line] = reader_line(capsys, tmp_path)
    assert line.startswith("✓ 身份证阅读器：SDTAPI") and str(library) in line
    assert "端口 1001" in line and "station-app card test" in line


def test_a_wrong_library_is_a_cross_saying_what_to_do(tmp_path: Path,
                                                      standin_libraries: dict[str, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(tmp_path, StationSettings(card_driver="sdtapi",
                                            card_library=str(standin_libraries["termb"])))
    [line] = reader_line(capsys, tmp_path)
    assert line.startswith("✗ 身份证阅读器：") and "缺少 SDT_OpenPort" in line


def test_keyboard_readers_and_no_reader(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert reader_line(capsys, tmp_path) == []  # nothing configured: nothing to check
    save_settings(tmp_path, StationSettings(card_driver="keyboard"))
    [line] = reader_line(capsys, tmp_path)
    assert line.startswith("✓ 身份证阅读器：键盘式")

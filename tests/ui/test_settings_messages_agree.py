"""A bad value reads the same in station.toml, on the first-run screen, on the settings page
and from `station-app setup`: one schema checks it, one translator words it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app.cli import main
from station_app.rollout import RolloutError, load_rollout_file
from station_app.services.context import StationContext
from station_app.ui.first_run import FirstRunPage
from station_app.ui.settings_form_widget import SettingsForm
from station_app.ui.settings_page import SettingsPage

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"
GOOD = {"station_id": '"QDK01"', "backend_url": '"https://hy.example.cn/api"',
        "sync_interval_seconds": "60", "secret": f'"{SECRET}"'}
CLI_GOOD = {"station_id": "QDK01", "backend_url": "https://hy.example.cn/api",
            "sync_interval_seconds": "60", "secret": SECRET}

Fill = Callable[[SettingsForm], None]
CASES: list[tuple[str, str, str, Fill]] = [
    # key, value in station.toml, value on the command line, the same typed on screen
    ("backend_url", '"ftp://hy.example.cn"', "ftp://hy.example.cn",
     lambda f: f.backend_url.setText("ftp://hy.example.cn")),
    ("sync_interval_seconds", "5", "5", lambda f: f.sync_interval.setValue(5)),
    ("secret", '"abc"', "abc", lambda f: f.secret.setText("abc")),
    ("station_id", '"qdk-01"', "qdk-01", lambda f: f.station_id.setText("qdk-01")),
]
IDS = [case[0] for case in CASES]


def from_station_toml(tmp_path: Path, key: str, value: str) -> str:
    path = tmp_path / "station.toml"
    path.write_text("".join(f"{k} = {value if k == key else v}\n" for k, v in GOOD.items()),
                    encoding="utf-8")
    with pytest.raises(RolloutError) as err:
        load_rollout_file(path)
    (line,) = err.value.lines
    head = f"配置文件 {path}：键 {key}："
    assert line.startswith(head)
    return line.removeprefix(head)


def from_setup(capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, value: str) -> str:
    given = {**CLI_GOOD, key: value}
    argv = [x for k, v in given.items() for x in ("--" + k.replace("_", "-"), v)]
    assert main(["--data-dir", str(tmp_path / "cli"), "setup", *argv]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    head = f"错误：--{key.replace('_', '-')}："
    assert line.startswith(head)
    return line.removeprefix(head)


def on_screen(form: SettingsForm, key: str) -> str:
    text = form.rows[key].error.text()
    assert form.rows[key].error.isVisibleTo(form) and text.startswith("错误：")
    return text.removeprefix("错误：")


@pytest.mark.parametrize(("key", "in_file", "on_command_line", "type_it"), CASES, ids=IDS)
def test_the_same_message_in_station_toml_first_run_and_setup(
        qtbot: QtBot, station_ctx: StationContext, capsys: pytest.CaptureFixture[str],
        tmp_path: Path, key: str, in_file: str, on_command_line: str, type_it: Fill) -> None:
    page = FirstRunPage(station_ctx)
    qtbot.addWidget(page)
    page.station_id.setText("QDK01")
    page.backend_url.setText("https://hy.example.cn/api")
    page.secret.setText(SECRET)
    type_it(page.form)
    assert not page.configure()
    shown = on_screen(page.form, key)

    assert from_station_toml(tmp_path, key, in_file) == shown
    assert from_setup(capsys, tmp_path, key, on_command_line) == shown
    assert [k for k, row in page.rows.items() if row.error.isVisibleTo(page.form)] == [key]


@pytest.mark.parametrize(("key", "in_file", "on_command_line", "type_it"), CASES, ids=IDS)
def test_the_settings_page_says_it_the_same_way(
        qtbot: QtBot, station_ctx: StationContext, tmp_path: Path, key: str, in_file: str,
        on_command_line: str, type_it: Fill) -> None:
    page = SettingsPage(station_ctx)
    qtbot.addWidget(page)
    type_it(page.form)
    assert not page.save()
    assert on_screen(page.form, key) == from_station_toml(tmp_path, key, in_file)

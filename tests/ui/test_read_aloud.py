"""朗读 on the intake screen: the 核对 view, the receipt and the form's missing materials are
read by an engine process that gets the text on stdin, one reading at a time, stopped when
the page changes; a missing engine is one line on the page.

The engine is a stand-in script (it records its arguments and what it was given on stdin in
tmp_path, then "speaks" until killed), or the real espeak-ng writing its audio to nowhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QProcess, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from station_app.services.read_aloud import (
    NOT_INSTALLED,
    TIMED_OUT,
    EspeakNg,
    find_program,
    find_speaker,
)
from station_app.services.read_aloud_texts import (
    confirmation_speech,
    notice_speech,
    receipt_speech,
)
from station_app.ui.intake import IntakePage
from station_app.ui.intake.confirm_dialog import ConfirmView
from station_app.ui.read_aloud import ReadAloud
from station_app.ui.theme import ELDER
from tests.services.read_aloud_support import RS04_MATERIAL, RS04_VALUES

MakeIntake = Callable[..., IntakePage]


@dataclass(frozen=True)
class StandIn:
    """A stand-in engine: a shell script that records its arguments and standard input."""

    program: Path
    heard: Path
    args: Path

    def speaker(self, rate: int = 130) -> EspeakNg:
        return EspeakNg(str(self.program), "cmn-latn-pinyin", rate)

    def said(self) -> str:
        return self.heard.read_text(encoding="utf-8") if self.heard.exists() else ""

    def forget(self) -> None:
        self.heard.unlink(missing_ok=True)


@dataclass(frozen=True)
class QuickLimit:
    """An engine with a time limit of a fifth of a second."""

    inner: EspeakNg

    def play_command(self) -> list[str]:
        return self.inner.play_command()

    def synthesise(self, text: str, wav_path: Path) -> None:
        self.inner.synthesise(text, wav_path)

    def time_limit(self, text: str) -> float:
        return 0.2


class SilentEspeak(EspeakNg):
    """The real engine, its audio written to standard output (which the adapter discards)."""

    def play_command(self) -> list[str]:
        return self._argv("--stdout")


@pytest.fixture
def stand_in(tmp_path: Path) -> StandIn:
    heard, args = tmp_path / "heard.txt", tmp_path / "args.txt"
    program = tmp_path / "engine.sh"
    program.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{args}'\n"
                       f"cat > '{heard}.part' && mv '{heard}.part' '{heard}'\n"
                       "exec sleep 60\n", encoding="utf-8")
    program.chmod(0o755)
    return StandIn(program, heard, args)


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def at_review(qtbot: QtBot, make_intake: MakeIntake) -> IntakePage:
    """RS04 filled and its material received, on the 核对 step."""
    page = make_intake("RS04")
    with qtbot.waitActive(page):
        page.activateWindow()
    session = page.session
    assert session is not None
    for key, value in RS04_VALUES.items():
        session.set_value(key, value)
    page.form_view.set_values(RS04_VALUES)
    session.set_ticked(RS04_MATERIAL, True)
    page.refresh()
    assert page.try_submit()
    return page


def press(qtbot: QtBot, key: Qt.Key) -> None:
    """A key pressed at the desk, where the focus is."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def processes(reader: ReadAloud) -> list[QProcess]:
    return [p for p in reader.findChildren(QProcess)
            if p.state() != QProcess.ProcessState.NotRunning]


def test_read_aloud_on_the_review_reads_it_and_stops_when_pressed_again_or_left(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=stand_in.speaker(rate=110))
    button = page.confirm_view.read_aloud_button
    assert button.accessibleName() == "朗读" and button.text() == "朗读（F9）"
    assert button.height() >= ELDER.target_px and button.isVisible()
    assert page.session is not None
    expected = confirmation_speech(page.session.confirmation())

    click(qtbot, button)
    qtbot.waitUntil(lambda: stand_in.said() == expected)
    assert stand_in.args.read_text(encoding="utf-8").split() == [
        "-v", "cmn-latn-pinyin", "-s", "110", "--stdin"]  # the text is not an argument
    assert reader.speaking(button) and button.text() == "停止朗读（F9）"
    assert len(processes(reader)) == 1

    press(qtbot, Qt.Key.Key_F9)  # again: stop (a shortcut clicks the button a moment later)
    qtbot.waitUntil(lambda: not reader.speaking())
    assert processes(reader) == []
    assert button.text() == "朗读（F9）"

    stand_in.forget()
    press(qtbot, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: stand_in.said() == expected)
    press(qtbot, Qt.Key.Key_Escape)  # 返回修改: the page changes
    assert page.stack.currentWidget() is page.form_page
    assert not reader.speaking() and processes(reader) == []


def test_a_new_reading_replaces_the_one_going_on(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=stand_in.speaker())
    button = page.confirm_view.read_aloud_button
    click(qtbot, button)
    qtbot.waitUntil(lambda: stand_in.said() != "")
    [first] = [p.processId() for p in processes(reader)]
    stand_in.forget()
    assert reader.speak("另一段话", owner=page)
    qtbot.waitUntil(lambda: stand_in.said() == "另一段话")
    assert not alive(first)  # the first engine was killed (and reaped)
    assert [p.processId() for p in processes(reader)] != [first]
    assert len(processes(reader)) == 1
    assert button.text() == "朗读（F9）"  # its reading was replaced
    page.close()  # the window closes: the reading stops
    assert not reader.speaking() and processes(reader) == []


def test_the_receipt_reads_its_summary_and_done_stops_it(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=stand_in.speaker())
    case = page.confirm()
    assert case is not None
    button = page.receipt_view.read_aloud_button
    click(qtbot, button)
    qtbot.waitUntil(lambda: stand_in.said() == receipt_speech(case.receipt))
    click(qtbot, page.receipt_view.done_button)  # 完成: a blank form for the next resident
    assert not reader.speaking() and processes(reader) == []


def test_the_form_reads_the_missing_materials_of_the_notice(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    page = make_intake("RS04")
    ReadAloud(page, speaker=stand_in.speaker())
    form = page.form_page
    session = page.session
    assert session is not None
    page.refresh()
    assert form.read_aloud_button.isVisible() and form.read_aloud_button.isEnabled()
    click(qtbot, form.read_aloud_button)
    qtbot.waitUntil(lambda: stand_in.said() == notice_speech(session.notice()))
    assert RS04_MATERIAL in stand_in.said()
    form.read_aloud_button.click()  # stop
    session.set_ticked(RS04_MATERIAL, True)
    page.refresh()
    assert not form.read_aloud_button.isEnabled()  # nothing missing, as 打印一次性告知单


def test_a_missing_engine_is_one_line_on_the_page(
        qtbot: QtBot, make_intake: MakeIntake, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    page = at_review(qtbot, make_intake)  # no reader installed: the window gets one on first use
    click(qtbot, page.confirm_view.read_aloud_button)
    assert page.confirm_view.error.isVisible()
    assert page.confirm_view.error.text().endswith(NOT_INSTALLED)
    assert page.confirm_view.read_aloud_button.text() == "朗读（F9）"
    assert page.confirm_view.confirm_button.isEnabled()  # the intake goes on without it


def test_a_hung_engine_is_stopped_at_its_time_limit(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=QuickLimit(stand_in.speaker()))
    with qtbot.waitSignal(reader.failed) as failed:
        click(qtbot, page.confirm_view.read_aloud_button)
    assert failed.args == [TIMED_OUT]
    assert processes(reader) == [] and page.confirm_view.error.text().endswith(TIMED_OUT)


@pytest.mark.skipif(find_program() is None, reason="espeak-ng is not installed")
def test_the_real_engine_reads_the_review_to_the_end_without_blocking(
        qtbot: QtBot, make_intake: MakeIntake) -> None:
    page = at_review(qtbot, make_intake)
    found = find_speaker()
    reader = ReadAloud(page, speaker=SilentEspeak(found.program, found.voice, found.rate))
    problems: list[str] = []
    reader.failed.connect(problems.append)
    with qtbot.waitSignal(reader.ended, timeout=60_000):
        click(qtbot, page.confirm_view.read_aloud_button)
        assert reader.speaking()  # the click returned while the engine runs
    assert problems == [] and processes(reader) == []
    assert page.confirm_view.read_aloud_button.text() == "朗读（F9）"


def test_the_window_reader_at_the_stations_speed_is_found_on_the_path(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As the composition root does: one reader on the window, at ``read_aloud_rate``; the
    engine is looked up on the PATH and asked for its Mandarin voice."""
    found = tmp_path / "bin" / "espeak-ng"
    found.parent.mkdir()
    found.write_text("#!/bin/sh\nif [ \"$1\" = --voices=cmn ]; then\n"
                     "  echo 'Pty Language Age/Gender VoiceName File Other'\n"
                     "  echo ' 5  cmn  --/M  Chinese_(Mandarin)  sit/cmn'\n  exit 0\nfi\n"
                     f"exec '{stand_in.program}' \"$@\"\n", encoding="utf-8")
    found.chmod(0o755)
    monkeypatch.setenv("PATH", f"{found.parent}{os.pathsep}{os.defpath}")  # before the real one
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, rate=95)
    assert ReadAloud.of(page.confirm_view) is reader is ReadAloud.of(page.receipt_view)
    click(qtbot, page.confirm_view.read_aloud_button)
    qtbot.waitUntil(lambda: stand_in.said() != "")
    assert stand_in.args.read_text(encoding="utf-8").split() == [
        "-v", "cmn", "-s", "95", "--stdin"]  # the only Mandarin voice this engine has
    reader.stop()


def test_another_window_speaks_through_the_main_windows_reader(
        qtbot: QtBot, make_intake: MakeIntake, stand_in: StandIn) -> None:
    """The resident's window (its own 核对 view) and the worker's share one voice."""
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=stand_in.speaker())
    resident = ConfirmView()
    qtbot.addWidget(resident)
    resident.show()
    assert page.session is not None
    resident.show_confirmation(page.session.confirmation())
    assert ReadAloud.of(resident) is reader
    click(qtbot, page.confirm_view.read_aloud_button)
    qtbot.waitUntil(lambda: stand_in.said() != "")
    stand_in.forget()
    click(qtbot, resident.read_aloud_button)  # replaces the worker's reading
    qtbot.waitUntil(lambda: stand_in.said() != "")
    assert reader.speaking(resident.read_aloud_button) and len(processes(reader)) == 1
    resident.close()
    assert not reader.speaking()


def test_an_engine_that_cannot_start_is_one_line(
        qtbot: QtBot, make_intake: MakeIntake, tmp_path: Path) -> None:
    """The engine was found, then removed (or its file is not a program)."""
    page = at_review(qtbot, make_intake)
    reader = ReadAloud(page, speaker=EspeakNg(str(tmp_path / "gone" / "espeak-ng")))
    with qtbot.waitSignal(reader.failed) as failed:
        click(qtbot, page.confirm_view.read_aloud_button)
    [line] = failed.args
    assert line.startswith("朗读引擎出错（") and line.endswith("请联系技术支持")
    assert "\n" not in line and page.confirm_view.error.text().endswith(line)
    assert not reader.speaking() and processes(reader) == []
    assert page.confirm_view.read_aloud_button.text() == "朗读（F9）"

"""The read-aloud engine for real: espeak-ng speaks the three texts in Mandarin into WAV files
that are not silent and last as long as the text needs; a missing engine is one line."""

from __future__ import annotations

import array
import math
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest

from station_app.cli import main
from station_app.services.context import StationContext
from station_app.services.read_aloud import (
    ENGINE_FAILED,
    NO_MANDARIN,
    NO_SOUND,
    NOT_INSTALLED,
    EspeakNg,
    ReadAloudUnavailable,
    engine_status,
    find_program,
    find_speaker,
    play_problem,
)
from station_app.services.read_aloud_texts import (
    confirmation_speech,
    notice_speech,
    receipt_speech,
)
from tests.services.read_aloud_support import ID_NUMBER, filled_review

needs_engine = pytest.mark.skipif(
    find_program() is None, reason="espeak-ng is not installed (scripts/setup.sh installs it)")
RMS_FLOOR = 500  # 16-bit samples; speech from espeak-ng is in the thousands, silence is 0
# Plausible length per character spoken, at the default rate: Mandarin at any sane speed is
# between 2 and 8 syllables a second (pauses at punctuation included).
SECONDS_PER_CHAR = (0.12, 0.6)


@dataclass(frozen=True)
class Audio:
    seconds: float
    rms: float


def listen(path: Path) -> Audio:
    with wave.open(str(path), "rb") as w:
        assert (w.getsampwidth(), w.getnchannels()) == (2, 1)
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return Audio(len(samples) / rate, rms)


@pytest.fixture
def three_texts(station_ctx: StationContext) -> dict[str, str]:
    notice = notice_speech(filled_review(station_ctx, ticked=False).notice())
    session = filled_review(station_ctx)
    review = confirmation_speech(session.confirmation())
    receipt = receipt_speech(session.submit().receipt)
    return {"notice": notice, "receipt": receipt, "review": review}


@needs_engine
def test_each_text_is_spoken_non_silent_and_as_long_as_it_needs(
        three_texts: dict[str, str], tmp_path: Path) -> None:
    speaker = find_speaker()
    heard: dict[str, float] = {}
    for name, text in three_texts.items():
        wav = tmp_path / f"{name}.wav"
        speaker.synthesise(text, wav)
        audio = listen(wav)
        assert audio.rms > RMS_FLOOR, (name, audio)
        low, high = (len(text) * s for s in SECONDS_PER_CHAR)
        assert low < audio.seconds < high, (name, len(text), audio)
        heard[name] = audio.seconds
    assert len(three_texts["review"]) > 2 * len(three_texts["receipt"])
    assert heard["review"] > 1.5 * max(heard["receipt"], heard["notice"])


@needs_engine
def test_twice_the_text_takes_about_twice_as_long(three_texts: dict[str, str],
                                                 tmp_path: Path) -> None:
    speaker, text = find_speaker(), three_texts["notice"]
    speaker.synthesise(text, tmp_path / "once.wav")
    speaker.synthesise(text + text, tmp_path / "twice.wav")
    ratio = listen(tmp_path / "twice.wav").seconds / listen(tmp_path / "once.wav").seconds
    assert 1.7 < ratio < 2.3


@needs_engine
def test_a_slower_rate_speaks_longer(tmp_path: Path) -> None:
    text = "请您核对以下信息。身份证号：一一零一零五，一九四九一二三一，零零二艾克斯。"
    slow, fast = find_speaker(rate=90), find_speaker(rate=220)
    slow.synthesise(text, tmp_path / "slow.wav")
    fast.synthesise(text, tmp_path / "fast.wav")
    assert listen(tmp_path / "slow.wav").seconds > 1.5 * listen(tmp_path / "fast.wav").seconds


@needs_engine
def test_the_chosen_voice_reads_chinese_characters_as_mandarin() -> None:
    """Guards the voice choice: espeak-ng 1.51's plain ``cmn`` voice switches to English for
    many characters (its phonemes then show ``(en)``), the chosen voice must not."""
    speaker = find_speaker()
    phonemes = subprocess.run([speaker.program, "-v", speaker.voice, "-q", "-x", "--stdin"],
                              input="请您核对以下信息，四二零一零五".encode(), capture_output=True,
                              timeout=30, check=True).stdout.decode()
    assert phonemes.strip() and "(en)" not in phonemes


@needs_engine
def test_the_text_goes_in_on_standard_input_never_on_the_command_line() -> None:
    command = find_speaker().play_command()
    assert command[-1] == "--stdin" and "-w" not in command
    assert not any(ID_NUMBER in part for part in command)


@needs_engine
def test_an_engine_that_wrote_nothing_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(ReadAloudUnavailable, match="朗读引擎出错"):
        find_speaker().synthesise("你好", tmp_path / "missing-folder" / "x.wav")


def test_a_missing_engine_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    with pytest.raises(ReadAloudUnavailable) as e:
        find_speaker(search_path=str(tmp_path / "bin"))
    assert str(e.value) == NOT_INSTALLED and "\n" not in NOT_INSTALLED
    assert engine_status(search_path=str(tmp_path / "bin")) == (False, NOT_INSTALLED)


def test_an_engine_without_a_mandarin_voice_says_so(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "espeak-ng"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\necho 'Pty Language Age/Gender VoiceName File Other'\n"
                       "echo ' 5  en  --/M  English  gmw/en'\n", encoding="utf-8")
    program.chmod(0o755)
    with pytest.raises(ReadAloudUnavailable, match=NO_MANDARIN):
        find_speaker(search_path=str(program.parent))


def test_what_went_wrong_with_a_run_is_one_line() -> None:
    assert play_problem(0, "") is None
    alsa = "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\n" \
           "error: No such file or directory\n"
    assert play_problem(0, alsa) == NO_SOUND  # espeak-ng exits 0 without a sound card
    assert play_problem(1, "Error: The specified espeak-ng voice does not exist.\n") == \
        ENGINE_FAILED.format("Error: The specified espeak-ng voice does not exist.")
    assert play_problem(-9, "") == ENGINE_FAILED.format("退出码 -9")


def test_the_time_limit_grows_with_the_text_and_with_a_slower_rate() -> None:
    slow, normal = EspeakNg("espeak-ng", rate=80), EspeakNg("espeak-ng")
    assert normal.time_limit("字" * 200) > normal.time_limit("字" * 20)
    assert slow.time_limit("字" * 200) > normal.time_limit("字" * 200)


def test_doctor_has_one_line_about_read_aloud_and_a_missing_engine_only_warns(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "station"
    data.mkdir()
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    main(["--data-dir", str(data), "doctor", "--timeout", "1"])
    said = [line for line in capsys.readouterr().out.splitlines() if "朗读" in line]
    assert said == [f"⚠ 朗读：{NOT_INSTALLED}"]


@needs_engine
def test_doctor_names_the_engine_voice_and_speed(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    data = tmp_path / "station"
    data.mkdir()
    main(["--data-dir", str(data), "doctor", "--timeout", "1"])
    said = [line for line in capsys.readouterr().out.splitlines() if "朗读" in line]
    assert len(said) == 1 and said[0].startswith("✓ 朗读：")
    assert said[0].endswith("普通话语音 cmn-latn-pinyin，语速 130"), said

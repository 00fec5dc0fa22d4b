"""The 朗读 engine: espeak-ng, run as a separate program, speaking Mandarin offline.

Why espeak-ng:

* offline and small: about 4 MB to download and 13 MB installed with the voices of every
  language (Debian 12), and it is a system package (``Recommends: espeak-ng``), so the
  terminal's .deb does not grow at all;
* a Mandarin voice in the stock package, on Debian, UOS and Kylin alike, and the same engine
  (same voices, same options) on Windows through espeak-ng's own installer;
* run as a program, it needs no Python binding and no audio code in the terminal: the text
  goes in on standard input and the engine plays it on the default sound device itself.

QtTextToSpeech was the alternative: it ships in PySide6-Addons (about 100 MB more; the project
uses PySide6-Essentials) and on Linux speaks through speech-dispatcher, a desktop service that
stations do not run. pyttsx3 would drive the same eSpeak on Linux through a binding.

The voice is ``cmn-latn-pinyin`` when the engine has it: in espeak-ng 1.51 (Debian 12) the
plain ``cmn`` voice turns many characters into pinyin and then reads that pinyin as English
("零" as "ling two"), upstream issues #1028 and #1163; the pinyin variant reads the same
characters as Mandarin. ``cmn`` is the fallback on builds that only have it.

The speed is slower than the engine's 175 for residents who are old or hard of hearing
(setting ``read_aloud_rate``). Every run is bounded by a time limit that grows with the text.

Privacy: the text (which may hold an ID number) is given on standard input, never on the
command line, where other accounts could read it in the process list, and never written to a
file: a recording of a spoken ID number is personal data too. Only `EspeakNg.synthesise`
writes audio, to the path its caller names (tests, with made-up data).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from station_app.settings_schema import StationSettings

PROGRAM = "espeak-ng"
VOICES = ("cmn-latn-pinyin", "cmn")  # preferred first (see the module docstring)
DEFAULT_RATE: int = StationSettings.model_fields["read_aloud_rate"].default  # engine's: 175
PROBE_TIMEOUT_S = 5.0
BASE_TIME_LIMIT_S = 10.0
SECONDS_PER_CHAR_AT_RATE_1 = 90.0  # 0.7 s a character at 130: twice what the engine needs

NOT_INSTALLED = "本机未安装朗读引擎（espeak-ng）：请联系技术支持安装"
NO_MANDARIN = "本机的朗读引擎（espeak-ng）没有普通话语音：请联系技术支持重新安装"
ENGINE_FAILED = "朗读引擎出错（{0}）：请联系技术支持"
NO_SOUND = "未能发出声音：请检查音箱或耳机是否接好、音量是否打开"
TIMED_OUT = "朗读超时，已停止：请再按一次“朗读”，仍不行请联系技术支持"


class ReadAloudUnavailable(Exception):
    """The engine is missing, has no Mandarin voice, or failed; ``str(e)`` is one line."""


class Speaker(Protocol):
    """A speech engine that reads text from standard input.

    ``play_command`` is the program and arguments that speak standard input on the sound
    device (run by the Qt adapter, without blocking the window); ``synthesise`` writes the
    same speech to a WAV file and returns when it is written.
    """

    def play_command(self) -> list[str]: ...

    def synthesise(self, text: str, wav_path: Path) -> None: ...

    def time_limit(self, text: str) -> float: ...


@dataclass(frozen=True)
class EspeakNg:
    """espeak-ng at ``program`` with a Mandarin ``voice`` at ``rate`` words per minute."""

    program: str
    voice: str = VOICES[0]
    rate: int = DEFAULT_RATE

    def _argv(self, *extra: str) -> list[str]:
        return [self.program, "-v", self.voice, "-s", str(self.rate), *extra, "--stdin"]

    def play_command(self) -> list[str]:
        return self._argv()

    def time_limit(self, text: str) -> float:
        """Seconds a reading of ``text`` may take before it is stopped as hung."""
        return BASE_TIME_LIMIT_S + len(text) * SECONDS_PER_CHAR_AT_RATE_1 / self.rate

    def synthesise(self, text: str, wav_path: Path) -> None:
        """Write ``text`` spoken to ``wav_path``; raise `ReadAloudUnavailable` on failure."""
        try:
            done = subprocess.run(self._argv("-w", str(wav_path)), input=text.encode("utf-8"),
                                  capture_output=True, timeout=self.time_limit(text),
                                  check=False)
        except subprocess.TimeoutExpired:
            raise ReadAloudUnavailable(TIMED_OUT) from None
        except OSError as e:
            raise ReadAloudUnavailable(ENGINE_FAILED.format(e.strerror or e)) from None
        problem = play_problem(done.returncode, done.stderr.decode("utf-8", "replace"))
        if problem is None and not (wav_path.is_file() and wav_path.stat().st_size > 44):
            problem = ENGINE_FAILED.format(f"未写出 {wav_path.name}")  # espeak-ng exits 0
        if problem is not None:
            raise ReadAloudUnavailable(problem)


def play_problem(exit_code: int, stderr: str) -> str | None:
    """What went wrong with a run of the engine, in one line; None when it spoke.

    espeak-ng exits 0 even when it could not open the sound device; it then prints lines
    starting with ``error:`` (its other failures exit 1 with ``Error: …``).
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if exit_code != 0:
        detail = next((line for line in lines if "rror" in line), f"退出码 {exit_code}")
        return ENGINE_FAILED.format(detail)
    if any(line.startswith("error:") for line in lines):
        return NO_SOUND
    return None


def find_program(search_path: str | None = None) -> str | None:
    """The espeak-ng program: on the PATH (or ``search_path``), or where its Windows
    installer puts it (it does not add itself to the PATH)."""
    found = shutil.which(PROGRAM, path=search_path)
    if found or os.name != "nt":
        return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        candidate = Path(base or "") / "eSpeak NG" / "espeak-ng.exe"
        if base and candidate.is_file():
            return str(candidate)
    return None


def mandarin_voice(program: str) -> str:
    """The best Mandarin voice ``program`` has; raises `ReadAloudUnavailable` if none."""
    try:
        listed = subprocess.run([program, "--voices=cmn"], capture_output=True,
                                timeout=PROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise ReadAloudUnavailable(ENGINE_FAILED.format("列出语音超时")) from None
    except OSError as e:
        raise ReadAloudUnavailable(ENGINE_FAILED.format(e.strerror or e)) from None
    names = {cols[1] for line in listed.stdout.decode("utf-8", "replace").splitlines()[1:]
             if len(cols := line.split()) > 1}
    voice = next((v for v in VOICES if v in names), None)
    if voice is None:
        raise ReadAloudUnavailable(NO_MANDARIN)
    return voice


def find_speaker(rate: int = DEFAULT_RATE, search_path: str | None = None) -> EspeakNg:
    """The station's engine at ``rate``; raises `ReadAloudUnavailable` (one line) if none."""
    program = find_program(search_path)
    if program is None:
        raise ReadAloudUnavailable(NOT_INSTALLED)
    return EspeakNg(program, mandarin_voice(program), rate)


def engine_status(rate: int = DEFAULT_RATE, search_path: str | None = None) -> tuple[bool, str]:
    """``doctor``'s line: (usable, what was found or what to do)."""
    try:
        speaker = find_speaker(rate, search_path)
    except ReadAloudUnavailable as e:
        return False, str(e)
    return True, f"{speaker.program}，普通话语音 {speaker.voice}，语速 {speaker.rate}"

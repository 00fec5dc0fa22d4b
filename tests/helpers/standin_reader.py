"""The stand-in vendor reader libraries (C, in tests/devices/c), compiled once per session
with ``cc`` and loaded through the same ctypes code as a vendor's library, and the scenario
file that chooses what card they serve. The fixtures are registered suite-wide (tests/conftest.py):
the reader tests and the counter's widget tests both place cards on them.

Without a compiler the tests skip, which fails a CI run (tests/helpers/skip_policy.py);
scripts/setup.sh installs gcc where it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

C_DIR = Path(__file__).resolve().parents[1] / "devices" / "c"
SCENARIO_ENV = "REDSTATION_STANDIN_CARD"

PlaceCard = Callable[[str], Path]


def _compile(compiler: str, source: Path, target: Path) -> None:
    subprocess.run([compiler, "-shared", "-fPIC", "-std=c11", "-O1", "-Wall", "-Wextra",
                    "-Werror", "-o", str(target), str(source)],
                   check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def standin_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """driver name -> path of its compiled stand-in library."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler (cc) to build the stand-in reader libraries; "
                    "scripts/setup.sh installs gcc")
    folder = tmp_path_factory.mktemp("standin-libs")
    built = {}
    for driver in ("sdtapi", "termb"):
        target = folder / f"lib{driver}_standin.so"
        _compile(compiler, C_DIR / f"{driver}_standin.c", target)
        built[driver] = target
    return built


@pytest.fixture
def place_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PlaceCard:
    """Choose what the stand-in reader serves (a word of c/standin_cards.h); returns the
    scenario file, whose path is also in the environment of this process."""
    path = tmp_path / "card-scenario.txt"
    monkeypatch.setenv(SCENARIO_ENV, str(path))

    def place(word: str) -> Path:
        path.write_text(word + "\n", encoding="ascii")
        return path

    place("none")
    return place


def scenario_env(path: Path) -> dict[str, str]:
    """The environment of a subprocess that should see the scenario file at ``path``."""
    return {**os.environ, SCENARIO_ENV: str(path)}

"""The resident's own screen: with two monitors the resident view lives on the second one, in
full screen, showing their ID number in full while the worker's page keeps it masked; when
that monitor goes away mid-case the view moves into the worker's window and nothing is lost.

Qt's offscreen platform takes a screen layout from a JSON file; a Qt application's platform
is fixed when it starts, so this runs in a child process (tests/ui/two_screens_child.py).
Unplugging is Qt's own ``screenRemoved`` signal for the second screen, emitted in the child:
the offscreen platform has no cable to pull.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.counter import ZHANG_GROUPED

SCREENS = {"screens": [
    {"name": "A", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96},
    {"name": "B", "x": 1366, "y": 0, "width": 1280, "height": 1024, "logicalDpi": 96}]}


def test_resident_window_on_the_second_screen_and_after_it_is_unplugged(
        tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(SCREENS))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.two_screens_child", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screens"] == ["A", "B"]
    assert seen["idle_on"] == "B" and seen["idle_full_screen"]
    assert "欢迎来到七里一村红色驿站" in seen["idle_text"]
    assert seen["confirm_on"] == "B" and seen["resident_shows"] == "confirm"
    assert ZHANG_GROUPED in seen["resident_text"]
    assert ZHANG_GROUPED not in seen["worker_text"]
    assert "420***********0015" in seen["worker_text"]  # masked on the worker's side
    assert not seen["worker_window_taken_over"]  # the worker keeps their own screen
    assert not seen["after_unplug_window"]
    assert seen["after_unplug_shows"] == "confirm" and seen["after_unplug_taken_over"]
    assert ZHANG_GROUPED in seen["after_unplug_text"]
    assert seen["form_kept"] == "张建国"
    assert seen["saved"] and seen["printed"] == 1

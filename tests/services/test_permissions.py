"""Owner-only data folders: what an older release left open is tightened at start, and what
the command line writes is created owner-only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from station_app.services.context import open_station
from station_app.services.permissions import tighten


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_open_folder_is_tightened_at_start_and_nothing_is_loosened(tmp_path: Path) -> None:
    data = tmp_path / "station"
    open_station(data).close()
    os.chmod(data, 0o755)
    for path in data.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    (data / "owner-only.txt").write_text("x")
    os.chmod(data / "owner-only.txt", 0o400)
    open_station(data).close()
    assert _mode(data) == 0o700
    assert all(_mode(p) & 0o077 == 0 for p in data.rglob("*")), [
        (str(p), oct(_mode(p))) for p in data.rglob("*") if _mode(p) & 0o077]
    assert _mode(data / "owner-only.txt") == 0o400  # never loosened
    assert tighten(data) == 0


def test_files_the_command_line_writes_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "station"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run(
        [sys.executable, "-m", "station_app.cli", "--data-dir", str(data), "setup",
         "--station-id", "QDK01", "--backend-url", "https://district.invalid",
         "--secret", "Zk3vQ9-x_7LmN2pR8sT4"], capture_output=True, text=True, env=env,
        check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _mode(data) == 0o700
    assert [p.name for p in data.iterdir() if _mode(p) & 0o077] == []

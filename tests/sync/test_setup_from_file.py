"""`station-app setup --from FILE`: the roll-out file, applied from the command line."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from station_app.cli import main
from station_app.config import SECRET_FILE, load_secret, load_settings

ROLLOUT = ('station_id = "QDK07"\nstation_name = "七里二村社区红色驿站"\n'
           'backend_url = "https://district.example/api"\nsync_interval_seconds = 90\n'
           'secret = "{secret}"\n')


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_setup_from_file_configures_and_moves_the_secret(capsys: Any, tmp_path: Path) -> None:
    secret = "R0llout-secret-" + "x" * 20
    path = tmp_path / "station.toml"
    path.write_text(ROLLOUT.format(secret=secret), encoding="utf-8")
    rc, out, err = _run(capsys, "--data-dir", str(tmp_path / "s"), "setup", "--from", str(path))
    assert rc == 0, err
    assert "QDK07" in out and secret not in out
    settings = load_settings(tmp_path / "s")
    assert (settings.station_id, settings.sync_interval_seconds) == ("QDK07", 90)
    assert load_secret(tmp_path / "s") == secret
    assert stat.S_IMODE(os.stat(tmp_path / "s" / SECRET_FILE).st_mode) == 0o600
    assert secret not in path.read_text(encoding="utf-8")  # moved out of the roll-out file


def test_setup_from_a_bad_file_names_the_key_and_writes_nothing(capsys: Any,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text(ROLLOUT.format(secret="s" * 30).replace("90", "5"), encoding="utf-8")
    rc, out, err = _run(capsys, "--data-dir", str(tmp_path / "s"), "setup", "--from", str(path))
    assert rc == 2 and not out
    assert len(err.strip().splitlines()) == 1 and "sync_interval_seconds" in err
    assert not (tmp_path / "s" / SECRET_FILE).exists()


def test_setup_needs_either_a_file_or_all_three_options(capsys: Any, tmp_path: Path) -> None:
    rc, _, err = _run(capsys, "--data-dir", str(tmp_path / "s"), "setup", "--station-id",
                      "QDK01")
    assert rc == 2 and "--backend" in err and "--secret" in err and "--from" in err
    rc, _, err = _run(capsys, "--data-dir", str(tmp_path / "s"), "setup", "--from",
                      str(tmp_path / "x.toml"), "--secret", "y" * 20)
    assert rc == 2 and "--from" in err

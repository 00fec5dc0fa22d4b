"""The Windows installer script compiles with makensis against a placeholder payload.

The real Windows bundle must be built on Windows (packaging/windows/README.md); this catches
script errors on every run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "windows" / "red-station.nsi"


def test_nsis_script_compiles(qapp: object, tmp_path: Path) -> None:
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis is missing: scripts/setup.sh installs the Debian package nsis")
    payload = tmp_path / "payload"
    icons = payload / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    (payload / "station-app.exe").write_bytes(b"placeholder, not a Windows program\r\n")
    icon = QImage(48, 48, QImage.Format.Format_ARGB32)
    icon.fill(QColor("#B3261E"))
    assert icon.save(str(icons / "cn.gov.hanyang.redstation.ico"))  # format from the suffix
    out = tmp_path / "setup.exe"
    res = subprocess.run(
        [makensis, "-V2", f"-DPAYLOAD_DIR={payload}", "-DVERSION=0.1.0", "-DBUILD_NUMBER=0",
         f"-DOUTFILE={out}", str(SCRIPT)],
        capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert out.read_bytes()[:2] == b"MZ"  # a Windows executable

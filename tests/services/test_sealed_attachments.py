"""Scans are sealed on disk with the station's data key, opened for upload only with it, and
an older folder's clear scans are sealed when the station is secured."""

from __future__ import annotations

import hashlib
from pathlib import Path

from station_app.services.attachments import attachment_path, store_attachment
from station_app.services.context import open_station
from station_app.services.security import secure_station
from station_app.sync.attachments import FileAttachments
from station_app.vault.keyfile import CHEAP_PROFILE
from station_app.vault.keys import DataKey
from station_app.vault.sealed import is_sealed

SCAN = b"%PDF-1.4\n" + "户口簿 欧阳秀英 420105195803150026".encode() + b"\n%%EOF\n"


def _scan_file(tmp_path: Path) -> Path:
    path = tmp_path / "hukou.pdf"
    path.write_bytes(SCAN)
    return path


def test_a_scan_is_sealed_and_opens_for_upload_only_with_the_key(tmp_path: Path) -> None:
    data, key = tmp_path / "station", DataKey.generate()
    ref = store_attachment(data, _scan_file(tmp_path), key=key)
    sha = str(ref["sha256"])
    assert sha == hashlib.sha256(SCAN).hexdigest()  # named by the scan the district checks
    stored = attachment_path(data, sha).read_bytes()
    assert is_sealed(stored) and "欧阳秀英".encode() not in stored
    assert FileAttachments(data / "attachments", key).read(sha) == SCAN
    assert FileAttachments(data / "attachments", DataKey.generate()).read(sha) is None
    assert FileAttachments(data / "attachments").read(sha) is None
    assert store_attachment(data, _scan_file(tmp_path), key=key)["sha256"] == sha  # same file


def test_securing_an_older_folder_seals_its_clear_scans(tmp_path: Path) -> None:
    data = tmp_path / "station"
    open_station(data).close()
    sha = str(store_attachment(data, _scan_file(tmp_path))["sha256"])  # an older release
    assert attachment_path(data, sha).read_bytes() == SCAN
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password="hanyang-2026",
                              profile=CHEAP_PROFILE)
    stored = attachment_path(data, sha).read_bytes()
    assert is_sealed(stored) and "欧阳秀英".encode() not in stored
    assert [p.name for p in (data / "attachments").iterdir()] == [sha]  # nothing left over
    assert FileAttachments(data / "attachments", admin.key).read(sha) == SCAN

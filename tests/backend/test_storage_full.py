"""The district's attachment store on a full disk: the upload is refused with 507 and one
Chinese line (not a 500), nothing half-written is kept, and the same PUT succeeds once there is
room again. On SQLite (the database on the same small disk) and on PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from station_app.wire.protocol import AttachmentResult, ErrorBody
from tests.helpers.backend import RunningBackend, StationClient, serve_backend
from tests.helpers.disks import MiB, fill_disk, leftovers, small_disk
from tests.helpers.postgres import backend_database

SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 4096  # 1 MiB
SHA = hashlib.sha256(SCAN).hexdigest()


@pytest.fixture
def small_backend(tmp_path: Path, backend_db: str) -> Iterator[tuple[RunningBackend, Path]]:
    """The backend with its data folder (attachments; the SQLite file too) on a 6 MiB disk."""
    with small_disk(tmp_path / "disk", 6 * MiB) as disk, \
            backend_database(backend_db) as db_url, \
            serve_backend(disk, db_url=db_url) as running:
        yield running, disk


def put(station: StationClient, data: bytes) -> requests.Response:
    sha = hashlib.sha256(data).hexdigest()
    return station.request("PUT", f"/v1/attachments/{sha}", body=data,
                           headers={"Content-Type": "application/octet-stream"})


def test_an_upload_to_a_full_disk_is_507_and_leaves_nothing(
        small_backend: tuple[RunningBackend, Path]) -> None:
    backend, disk = small_backend
    station = backend.enroll("QDK01")
    filler = fill_disk(disk, leave=384 * 1024)  # room for the database's small writes

    refused = put(station, SCAN)
    assert refused.status_code == 507, refused.text
    body = ErrorBody.model_validate_json(refused.content)
    assert body.error == "insufficient_storage"
    assert "存储空间已满" in body.reason and "自动重发" in body.reason
    assert refused.headers["Retry-After"] == "60"
    assert station.request("HEAD", f"/v1/attachments/{SHA}").status_code == 404
    assert [p for p in backend.attachment_dir.rglob("*") if p.is_file()] == []
    assert leftovers(backend.attachment_dir) == []

    small = b"%PDF-1.4 one page"  # what still fits is stored as usual
    assert put(station, small).status_code == 201

    filler.unlink()
    stored = put(station, SCAN)
    assert stored.status_code == 201, stored.text
    assert AttachmentResult.model_validate_json(stored.content).status == "created"
    assert (backend.attachment_dir / SHA[:2] / SHA).read_bytes() == SCAN
    assert put(station, SCAN).status_code == 200  # and once only

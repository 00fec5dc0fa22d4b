"""Content-addressed attachments: idempotent PUT, HEAD, hash and size checks, no partial files,
and pushes that name attachments not uploaded yet."""

from __future__ import annotations

import hashlib
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from station_app.wire.protocol import (
    MAX_ATTACHMENT_BYTES,
    AttachmentResult,
    ErrorBody,
    PushResponse,
)
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient

SCAN = "扫描件".encode() + os.urandom(4096)
SHA = hashlib.sha256(SCAN).hexdigest()


def put(station: StationClient, data: bytes, sha: str = SHA) -> requests.Response:
    return station.request("PUT", f"/v1/attachments/{sha}", body=data,
                           headers={"Content-Type": "application/octet-stream"})


def stored_files(backend: RunningBackend) -> list[str]:
    return sorted(str(p.relative_to(backend.attachment_dir))
                  for p in backend.attachment_dir.rglob("*") if p.is_file())


def test_put_is_idempotent(backend: RunningBackend, station: StationClient) -> None:
    first = put(station, SCAN)
    assert first.status_code == 201
    assert AttachmentResult.model_validate_json(first.content).status == "created"
    again = put(station, SCAN)
    assert again.status_code == 200
    assert AttachmentResult.model_validate_json(again.content) == AttachmentResult(
        sha256=SHA, size=len(SCAN), status="exists")
    assert stored_files(backend) == [f"{SHA[:2]}/{SHA}"]
    assert (backend.attachment_dir / SHA[:2] / SHA).read_bytes() == SCAN


def test_head_tells_whether_it_is_stored(station: StationClient) -> None:
    assert station.request("HEAD", f"/v1/attachments/{SHA}").status_code == 404
    put(station, SCAN)
    resp = station.request("HEAD", f"/v1/attachments/{SHA}")
    assert resp.status_code == 200 and resp.headers["X-Attachment-Size"] == str(len(SCAN))
    assert station.request("HEAD", f"/v1/attachments/{SHA}", sign=False).status_code == 401


def test_content_not_matching_its_name_is_refused(backend: RunningBackend,
                                                  station: StationClient) -> None:
    resp = put(station, SCAN + b"x")
    assert resp.status_code == 422
    assert ErrorBody.model_validate_json(resp.content).error == "hash_mismatch"
    assert stored_files(backend) == []
    assert put(station, SCAN, sha="A" * 64).status_code == 422  # not lower-case hex


def test_too_large_is_413_without_reading_it(backend: RunningBackend,
                                             station: StationClient) -> None:
    url = urlsplit(backend.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(f"PUT /v1/attachments/{SHA} HTTP/1.1\r\nHost: x\r\n"
                     f"Content-Length: {MAX_ATTACHMENT_BYTES + 1}\r\n\r\n".encode())
        reply = sock.recv(4096).decode("utf-8", "replace")
    assert reply.startswith("HTTP/1.1 413")
    assert stored_files(backend) == []


def test_upload_cut_half_way_leaves_nothing(backend: RunningBackend,
                                            station: StationClient) -> None:
    url = urlsplit(backend.base_url)
    headers = station.signed_headers("PUT", f"/v1/attachments/{SHA}", "", SCAN)
    head = f"PUT /v1/attachments/{SHA} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(SCAN)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode() + SCAN[: len(SCAN) // 2])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the server notices the disconnect asynchronously
        time.sleep(0.05)
        if station.request("HEAD", f"/v1/attachments/{SHA}").status_code == 404:
            break
    assert station.request("HEAD", f"/v1/attachments/{SHA}").status_code == 404
    assert stored_files(backend) == []
    assert put(station, SCAN).status_code == 201  # and a fresh upload works


def test_push_waits_for_missing_attachments(backend: RunningBackend, station: StationClient,
                                            make_submission: MakeSubmission) -> None:
    sub = make_submission(materials=[{"name": "居民身份证或社会保障卡", "provided": True,
                                      "attachments": [SHA], "note": None}])
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert (r.outcome, r.missing_attachments, r.receipt_no) == ("retry", [SHA], None)
    assert "附件" in (r.reason or "")
    assert put(station, SCAN).status_code == 201
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert r.outcome == "accepted"
    rc, out, _ = backend.cli("stats", "--json")
    assert rc == 0 and '"retries": 1' in out


ATTACHMENT_ITEM = """\
code: ZZ01
name: 测试用附件事项
category: zonghe
department: jw
handling: {type: immediate}
materials:
  - {name: 照片, form: electronic}
fields:
  - ref: name
  - {key: photo, label: 照片, type: attachment, required: true}
  - key: members
    label: 家庭成员
    type: group
    fields:
      - {key: member_name, label: 姓名, type: text}
      - {key: proof, label: 证明, type: attachment}
"""


def test_attachment_fields_in_the_payload_are_checked(backend: RunningBackend,
                                                      station: StationClient,
                                                      make_submission: MakeSubmission) -> None:
    (backend.catalogue_dir / "items" / "ZZ01.yaml").write_text(ATTACHMENT_ITEM, encoding="utf-8")
    other = hashlib.sha256(b"proof").hexdigest()
    sub = make_submission(item_code="ZZ01", materials=[], payload={
        "name": "测试居民", "photo": SHA,
        "members": [{"member_name": "甲", "proof": [other]}, {"member_name": "乙"}]})
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert r.outcome == "retry" and r.missing_attachments == sorted([SHA, other])
    bad = make_submission(item_code="ZZ01", materials=[], payload={"photo": "photo.jpg"})
    [r] = PushResponse.model_validate_json(station.push([bad]).content).results
    assert r.outcome == "rejected" and "photo" in (r.reason or "")
    put(station, SCAN)
    put(station, b"proof", sha=other)
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert r.outcome == "accepted"


def test_attachment_fields_in_the_station_shape_are_understood(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    """The station's forms keep {sha256, filename, size, mime}; the backend reads the hash."""
    (backend.catalogue_dir / "items" / "ZZ01.yaml").write_text(ATTACHMENT_ITEM, encoding="utf-8")
    ref = {"sha256": SHA, "filename": "照片.jpg", "size": len(SCAN), "mime": "image/jpeg"}
    sub = make_submission(item_code="ZZ01", materials=[],
                          payload={"name": "测试居民", "photo": ref})
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert r.outcome == "retry" and r.missing_attachments == [SHA]
    put(station, SCAN)
    [r] = PushResponse.model_validate_json(station.push([sub]).content).results
    assert r.outcome == "accepted"
    broken = make_submission(item_code="ZZ01", materials=[],
                             payload={"name": "测试居民", "photo": {"filename": "x.jpg"}})
    [r] = PushResponse.model_validate_json(station.push([broken]).content).results
    assert r.outcome == "rejected" and "photo" in (r.reason or "")


def test_start_removes_what_a_killed_upload_left_and_keeps_stored_files(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from district_backend.attachments import AttachmentStore

    shard = tmp_path / SHA[:2]
    shard.mkdir()
    (shard / SHA).write_bytes(SCAN)
    leftover = shard / f".{SHA}.a1b2c3d4.tmp"  # atomic_write's temporary, never renamed
    leftover.write_bytes(SCAN[:100])
    (tmp_path / ".incoming").mkdir()  # where earlier releases wrote theirs
    (tmp_path / ".incoming" / "tmpabc").write_bytes(b"half")
    engine = create_engine("sqlite://")
    try:
        AttachmentStore(tmp_path, engine)
    finally:
        engine.dispose()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        SHA[:2], f"{SHA[:2]}/{SHA}"]

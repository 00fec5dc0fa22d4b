"""An unauthenticated client cannot make the backend buffer a large body: the signature
headers are checked first, and the 401 comes before the body has even been sent."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from station_app.wire.signing import sign_request
from tests.helpers.backend import serve_backend

DECLARED = 19 * 1024 * 1024
SENT = 64 * 1024  # what the client sends before it waits for an answer


def _upload_head(base_url: str, headers: dict[str, str], sha: str) -> tuple[int, bytes]:
    """Send the request line, headers and only SENT bytes of a DECLARED-byte body; return the
    status and body of the answer the server gives while the rest is still unsent."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10) as s:
        lines = [f"PUT /v1/attachments/{sha} HTTP/1.1", f"Host: {url.netloc}",
                 f"Content-Length: {DECLARED}", "Content-Type: application/octet-stream",
                 *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        s.sendall("\r\n".join(lines).encode("ascii") + b"\0" * SENT)
        reply = b""
        while b"\r\n\r\n" not in reply or len(reply.split(b"\r\n\r\n", 1)[1]) < _length(reply):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _length(reply: bytes) -> int:
    for line in reply.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@pytest.mark.parametrize("who", ["unsigned", "forged", "unknown station"])
def test_a_large_unauthenticated_upload_is_refused_before_its_body_is_read(
        tmp_path: Path, who: str) -> None:
    sha = hashlib.sha256(b"whatever").hexdigest()
    with serve_backend(tmp_path) as backend:
        station = backend.enroll("QDK01")
        secret = {"unsigned": "", "forged": "x" * 43, "unknown station": station.secret}[who]
        station_id = "NOBODY1" if who == "unknown station" else station.station_id
        headers: dict[str, Any] = {} if who == "unsigned" else sign_request(
            "PUT", f"/v1/attachments/{sha}", None, b"\0" * DECLARED, station_id, secret)
        status, body = _upload_head(backend.base_url, headers, sha)
    assert status == 401
    assert json.loads(body)["error"] in {"missing_headers", "bad_signature"}


def test_api_docs_are_served_only_when_enabled(tmp_path: Path) -> None:
    with serve_backend(tmp_path / "off") as backend:
        client = backend.enroll("QDK01")
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert client.request("GET", path, sign=False).status_code == 404
    with serve_backend(tmp_path / "on", api_docs=True) as backend:
        client = backend.enroll("QDK01")
        assert client.request("GET", "/openapi.json", sign=False).status_code == 200

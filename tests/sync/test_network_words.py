"""Network failures said in words with the next step, never as an exception's class name:
a refused connection, a name that does not resolve, a TLS failure. Loopback and `.invalid`
names only."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from station_app.sync.client import ClientConfig, SyncClient
from station_app.sync.errors import OutcomeUnknown

SECRET = "s" * 43


def _said(url: str) -> str:
    client = SyncClient(ClientConfig(url, "QDK01", SECRET, connect_timeout=5, read_timeout=5))
    try:
        with pytest.raises(OutcomeUnknown) as caught:
            client.health()
    finally:
        client.close()
    text = str(caught.value)
    assert "Error" not in text and "Exception" not in text, text  # words, not class names
    assert "\n" not in text
    return text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _plain_tcp_server() -> Iterator[int]:
    """Accepts and answers garbage: a TLS handshake against it fails."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)
    port = int(server.getsockname()[1])

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(1024)
            conn.sendall(b"HTTP/1.1 200 OK\r\n\r\nnot tls")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.close()
        thread.join(10)


def test_a_refused_connection_says_the_backend_does_not_answer() -> None:
    text = _said(f"http://127.0.0.1:{_free_port()}")
    assert text.startswith("区后台没有响应") and "检查网络" in text and "联系区里" in text


def test_a_name_that_does_not_resolve_says_so() -> None:
    text = _said("http://district-backend.invalid:8080")
    assert "找不到区后台的地址 district-backend.invalid:8080" in text and "DNS" in text


def test_a_tls_failure_says_what_to_check() -> None:
    assert ssl.HAS_SNI
    with _plain_tcp_server() as port:
        text = _said(f"https://127.0.0.1:{port}")
    assert "加密连接失败" in text and "本机时间" in text

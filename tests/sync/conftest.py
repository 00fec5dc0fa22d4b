"""Fixtures for the station-side sync tests: a configured station folder talking to the real
backend on 127.0.0.1 (tests/conftest.py), and a scripted HTTP server for replies the real
backend never gives (stalls, 5xx with Retry-After, redirects, garbage)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from station_app.config import StationSettings, save_secret, save_settings
from station_app.services import intake
from station_app.services.context import StationContext, open_station
from station_app.services.sync_service import build_engine
from station_app.store.engine import session_scope
from station_app.store.models import OutboxEntry, Submission
from station_app.sync.engine import SyncEngine

STATION_ID = "QDK01"
RS04_VALUES: dict[str, Any] = {
    "name": "测试居民", "id_number": "11010519491231002X", "phone": "13800000000",
    "address": {"community": "琴断口测试小区", "building": "1栋", "unit": "1单元", "room": "101"},
    "apply_by": "本人办理", "benefit_type": "企业职工基本养老保险", "auth_method": "柜台人脸识别",
    "auth_result": "认证通过", "next_due_date": "2027-11-25"}
RS04_TICKED = ["居民身份证或社会保障卡"]


def configure(data_dir: Path, backend_url: str, secret: str, **settings: Any) -> None:
    save_settings(data_dir, StationSettings(station_id=STATION_ID, backend_url=backend_url,
                                            station_name="琴断口街道红色驿站", **settings))
    save_secret(data_dir, secret)


@pytest.fixture
def station_secret(backend: Any) -> str:
    secret: str = backend.enroll(STATION_ID).secret
    return secret


@pytest.fixture
def station_ctx(tmp_path: Path, backend: Any, station_secret: str) -> Iterator[StationContext]:
    """A station folder set up for the test backend, opened like the terminal opens it."""
    data_dir = tmp_path / "station"
    configure(data_dir, backend.base_url, station_secret)
    ctx = open_station(data_dir)
    yield ctx
    ctx.close()


@pytest.fixture
def make_engine(station_ctx: StationContext) -> Iterator[Callable[..., SyncEngine]]:
    """Engines for the station (keyword arguments reach SyncEngine); all closed afterwards."""
    made: list[SyncEngine] = []

    def make(**kw: Any) -> SyncEngine:
        engine = build_engine(station_ctx.data_dir, station_ctx.settings, station_ctx.secret,
                              station_ctx.engine, **kw)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


@pytest.fixture
def submit(station_ctx: StationContext) -> Callable[..., Submission]:
    """Save an RS04 case through the intake use case (as the GUI does)."""
    form = intake.open_form(station_ctx, "RS04")

    def save(**values: Any) -> Submission:
        return intake.submit(station_ctx, form, {**RS04_VALUES, **values}, RS04_TICKED)

    return save


def local_state(ctx: StationContext, sid: str) -> tuple[Submission, OutboxEntry]:
    from sqlmodel import select

    with session_scope(ctx.engine) as s:
        sub = s.get(Submission, sid)
        entry = s.exec(select(OutboxEntry).where(OutboxEntry.submission_id == sid)).one()
        assert sub is not None
        return sub, entry


def backend_rows(backend: Any) -> list[tuple[str, str]]:
    """(submission_id, receipt_no) of every submission the backend stored."""
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT submission_id, receipt_no FROM submissions")).all()
    finally:
        engine.dispose()
    return [(r[0], r[1]) for r in rows]


# -- scripted server -------------------------------------------------------------------------

@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {
        "Content-Type": "application/json"})
    stall: float = 0.0  # seconds to wait before answering (released early at teardown)


@dataclass
class ScriptedServer:
    url: str
    replies: list[Scripted]
    requests: list[tuple[str, str, dict[str, str], bytes]]
    release: threading.Event

    def then(self, *replies: Scripted) -> ScriptedServer:
        self.replies.extend(replies)
        return self


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "scripted"
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        state: ScriptedServer = self.server.state  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state.requests.append((self.command, self.path, dict(self.headers), body))
        reply = state.replies.pop(0) if state.replies else Scripted(
            500, b'{"error":"unscripted","reason":"no reply scripted"}')
        if reply.stall:
            state.release.wait(reply.stall)
        try:
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up (timeout): expected in these tests

    do_GET = do_POST = do_PUT = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        return None


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """An HTTP server on 127.0.0.1 answering with the scripted replies, in order."""
    server = _Server(("127.0.0.1", 0), _Handler)
    state = ScriptedServer(f"http://127.0.0.1:{server.server_address[1]}", [], [],
                           threading.Event())
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="scripted-server",
                              kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
        assert not thread.is_alive()

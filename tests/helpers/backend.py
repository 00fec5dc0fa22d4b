"""The reference district backend on 127.0.0.1 (port 0), shared by tests/backend, tests/sync
and the benchmarks: start it, enrol stations, talk to it as a signing station."""

from __future__ import annotations

import contextlib
import io
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
import uvicorn

from district_backend import create_app
from district_backend.cli import main as cli_main
from district_backend.rate_limit import DEFAULT_PER_MINUTE
from district_backend.stations import KEY_FILE, load_or_create_key
from station_app.wire.canonical import canonical_json
from station_app.wire.signing import sign_request
from tests.helpers.catalogue import write_test_catalogue

STARTUP_TIMEOUT = 10.0


class StationClient:
    """One station: a requests Session that signs every request with the station's secret."""

    def __init__(self, base_url: str, station_id: str, secret: str) -> None:
        self.base_url = base_url
        self.station_id = station_id
        self.secret = secret
        self.session = requests.Session()
        self.session.trust_env = False

    def signed_headers(self, method: str, path: str, query: str = "", body: bytes = b"",
                       **kw: Any) -> dict[str, str]:
        return sign_request(method, path, query, body, self.station_id, self.secret, **kw)

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                body: bytes = b"", headers: dict[str, str] | None = None,
                sign: bool = True, **sign_kw: Any) -> requests.Response:
        query = urlencode(params or {})
        url = self.base_url + path + (f"?{query}" if query else "")
        all_headers = dict(headers or {})
        if body:
            all_headers.setdefault("Content-Type", "application/json")
        if sign:
            all_headers.update(self.signed_headers(method, path, query, body, **sign_kw))
        return self.session.request(method, url, data=body, headers=all_headers, timeout=30,
                                    allow_redirects=False)

    def push(self, submissions: list[Any], station_id: str | None = None) -> requests.Response:
        body = canonical_json({"station_id": station_id or self.station_id,
                               "submissions": submissions})
        return self.request("POST", "/v1/push", body=body)

    def changes(self, cursor: int = 0, limit: int = 100) -> requests.Response:
        return self.request("GET", "/v1/changes", params={"cursor": cursor, "limit": limit})

    def close(self) -> None:
        self.session.close()


@dataclass
class RunningBackend:
    base_url: str
    db_url: str
    data_dir: Path
    catalogue_dir: Path
    attachment_dir: Path
    _clients: list[StationClient] = field(default_factory=list)

    def cli(self, *args: str) -> tuple[int, str, str]:
        """Run `district-backend ARGS` in-process against this server's database."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli_main([*args, "--db", self.db_url, "--data-dir", str(self.data_dir)])
        return rc, out.getvalue(), err.getvalue()

    def enroll(self, station_id: str = "QDK01", name: str = "琴断口街道红色驿站") -> StationClient:
        rc, out, err = self.cli("enroll", station_id, "--name", name)
        assert rc == 0, err
        secret = next(line.split(": ", 1)[1] for line in out.splitlines()
                      if line.startswith("secret: "))
        return self.client(station_id, secret)

    def client(self, station_id: str, secret: str) -> StationClient:
        c = StationClient(self.base_url, station_id, secret)
        self._clients.append(c)
        return c

    def close_clients(self) -> None:
        for c in self._clients:
            c.close()


ServeBackend = Callable[..., contextlib.AbstractContextManager[RunningBackend]]
MakeSubmission = Callable[..., dict[str, Any]]


def new_submission(**overrides: Any) -> dict[str, Any]:
    """A valid RS04 (养老金资格认证) submission as a station would send it."""
    sub: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()),
        "tracking_ref": "QDK01-000001",
        "item_code": "RS04",
        "bundle_code": None,
        "catalogue_version": "2026.11.1",
        "form_version": 1,
        "payload": {
            "name": "测试居民", "id_number": "11010519491231002X", "phone": "13800000000",
            "address": "汉阳区琴断口街道测试小区1栋1单元101", "apply_by": "本人办理",
            "benefit_type": "企业职工基本养老保险", "auth_method": "柜台人脸识别",
            "auth_result": "认证通过", "next_due_date": "2027-11-25",
        },
        "materials": [{"name": "居民身份证或社会保障卡", "provided": True, "attachments": [],
                       "note": None}],
        "operator": "王帮办",
        "created_at": "2026-11-25T09:30:00+08:00",
    }
    sub.update(overrides)
    return sub


@contextlib.contextmanager
def serve_backend(tmp_path: Path, clock: Callable[[], float] | None = None,
                  db_url: str | None = None, api_docs: bool = False,
                  catalogue_dir: Path | None = None,
                  progress_per_minute: int | None = None) -> Iterator[RunningBackend]:
    """Start the app under uvicorn on an ephemeral loopback port; stop it and check cleanup.

    ``clock`` replaces the backend's wall clock (signature windows, receipts, health time,
    the progress page's rate windows); ``db_url`` its database (default: a new SQLite file;
    see :func:`tests.helpers.postgres.backend_database`); ``catalogue_dir`` its catalogue
    (default: the small test catalogue; the backend only reads it); ``progress_per_minute``
    the progress page's limit per client address (default: the backend's)."""
    catalogue_dir = catalogue_dir or write_test_catalogue(tmp_path / "catalogue")
    data_dir = tmp_path / "district-data"
    data_dir.mkdir()
    db_url = db_url or f"sqlite:///{data_dir / 'district.db'}"
    app = create_app(db_url, catalogue_dir=catalogue_dir, attachment_dir=data_dir / "attachments",
                     secret_key=load_or_create_key(data_dir / KEY_FILE), api_docs=api_docs,
                     clock=clock or time.time,
                     progress_per_minute=progress_per_minute or DEFAULT_PER_MINUTE)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    threads_before = set(threading.enumerate())
    thread = threading.Thread(target=server.run, name="test-district-backend", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(5)
            pytest.fail("district backend did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    running = RunningBackend(f"http://127.0.0.1:{port}", db_url, data_dir, catalogue_dir,
                             data_dir / "attachments")
    try:
        yield running
    finally:
        running.close_clients()
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)
        assert not thread.is_alive(), "district backend did not stop"
        _assert_no_leftover_threads(threads_before)


def _assert_no_leftover_threads(before: set[threading.Thread]) -> None:
    """Worker threads of the server's loop end shortly after it; anything else is a leak."""
    deadline = time.monotonic() + 5
    while (extra := [t for t in threading.enumerate() if t not in before and t.is_alive()]):
        if time.monotonic() > deadline:
            pytest.fail(f"threads left running: {[t.name for t in extra]}")
        time.sleep(0.02)

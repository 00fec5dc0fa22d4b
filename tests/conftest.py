"""Suite-wide fixtures: keep every test away from the real user's folders, and run the real
district backend on a loopback port for the backend and sync tests."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
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
import yaml
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from district_backend import create_app
from district_backend.cli import main as cli_main
from district_backend.stations import KEY_FILE, load_or_create_key
from station_app.wire.canonical import canonical_json
from station_app.wire.signing import sign_request

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = REPO_ROOT / "catalogue"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point HOME and the XDG folders at a temporary place for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "etc-xdg"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(home / "usr-share"))
    # never the machine-wide /var/lib/red-station of the computer running the tests
    monkeypatch.setenv("REDSTATION_DATA_DIR", str(home / "station-data"))
    yield


# -- the reference district backend on 127.0.0.1, shared by tests/backend and tests/sync ------

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


def write_test_catalogue(directory: Path) -> Path:
    """The real header (bundles dropped: their items are still being written) plus RS04."""
    header = yaml.safe_load((CATALOGUE_DIR / "catalogue.yaml").read_text(encoding="utf-8"))
    header["bundles"] = []
    (directory / "items").mkdir(parents=True)
    (directory / "catalogue.yaml").write_text(
        yaml.safe_dump(header, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(CATALOGUE_DIR / "items" / "RS04.yaml", directory / "items" / "RS04.yaml")
    return directory


@contextlib.contextmanager
def serve_backend(tmp_path: Path, clock: Callable[[], float] | None = None,
                  db_url: str | None = None, api_docs: bool = False) -> Iterator[RunningBackend]:
    """Start the app under uvicorn on an ephemeral loopback port; stop it and check cleanup.

    ``clock`` replaces the backend's wall clock (signature windows, receipts, health time);
    ``db_url`` its database (default: a new SQLite file; see :func:`backend_database`)."""
    catalogue_dir = write_test_catalogue(tmp_path / "catalogue")
    data_dir = tmp_path / "district-data"
    data_dir.mkdir()
    db_url = db_url or f"sqlite:///{data_dir / 'district.db'}"
    app = create_app(db_url, catalogue_dir=catalogue_dir, attachment_dir=data_dir / "attachments",
                     secret_key=load_or_create_key(data_dir / KEY_FILE), api_docs=api_docs,
                     **({"clock": clock} if clock is not None else {}))
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


# -- PostgreSQL: REDSTATION_PG_URL (see scripts/postgres.sh) -----------------------------------

PG_ENV = "REDSTATION_PG_URL"
DB_KINDS = ("sqlite", "postgresql")
_pg_problem: list[str | None] = []  # probed once per test run


def _pg_unavailable() -> str | None:
    """Why the PostgreSQL variants cannot run (None: they can)."""
    if not _pg_problem:
        url = os.environ.get(PG_ENV, "").strip()
        if not url:
            _pg_problem.append(f"{PG_ENV} is not set (scripts/postgres.sh prints a URL)")
        else:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                _pg_problem.append(None)
            except (SQLAlchemyError, ImportError) as e:
                reason = " ".join(str(getattr(e, "orig", None) or e).split())[:200]
                _pg_problem.append(f"PostgreSQL at {PG_ENV} is unreachable: {reason}")
            finally:
                engine.dispose()
    return _pg_problem[0]


@contextlib.contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server of ``REDSTATION_PG_URL``, dropped
    afterwards; yields a URL whose connections use it (``search_path``)."""
    problem = _pg_unavailable()
    if problem is not None:
        pytest.skip(problem)
    base = make_url(os.environ[PG_ENV].strip())
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def backend_database(kind: str) -> Iterator[str | None]:
    """``"sqlite"``: None (serve_backend makes a file); ``"postgresql"``: a fresh schema's URL,
    or the test is skipped with the reason."""
    if kind == "sqlite":
        yield None
    elif kind == "postgresql":
        with fresh_pg_schema() as url:
            yield url
    else:
        raise ValueError(f"unknown backend database {kind!r}")


@pytest.fixture
def backend_db() -> str:
    """The backend's database kind; test folders and modules that also run on PostgreSQL
    override it with ``params=DB_KINDS``."""
    return "sqlite"


@pytest.fixture
def backend(tmp_path: Path, backend_db: str) -> Iterator[RunningBackend]:
    with backend_database(backend_db) as db_url, serve_backend(tmp_path, db_url=db_url) as running:
        yield running


@pytest.fixture
def backend_server() -> Callable[..., contextlib.AbstractContextManager[RunningBackend]]:
    """`serve_backend` itself, for tests that need a second backend or another clock."""
    return serve_backend


@pytest.fixture
def test_catalogue() -> Callable[[Path], Path]:
    """Writes the small test catalogue into a directory and returns it."""
    return write_test_catalogue

"""`district-backend serve --workers N` when a worker cannot start: the whole server stops and
the command ends non-zero with one Chinese line saying why (not 0, not a restart loop).

The real scenario: the server runs, the sealing key file gets damaged, and a worker dies (here
SIGKILL). uvicorn replaces it; the replacement cannot read the key, so it cannot start."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import uvicorn

from district_backend.cli import main
from district_backend.listeners import SPREADS, worker_listener
from district_backend.stations import KEY_FILE
from district_backend.worker_app import SETTINGS_ENV, ServeSettings, make_app
from tests.helpers.backend_process import serve_process
from tests.helpers.catalogue import write_test_catalogue
from tests.helpers.postgres import fresh_pg_schema

STOP_WITHIN = 60.0  # seconds for the server to give up once the replacement fails


def test_a_worker_that_cannot_start_stops_the_server_with_one_line(tmp_path: Path) -> None:
    catalogue = write_test_catalogue(tmp_path / "catalogue")
    data = tmp_path / "district-data"
    with fresh_pg_schema() as db_url, serve_process(data, db_url, catalogue,
                                                    workers=2) as backend:
        (data / KEY_FILE).write_text("damaged\n", encoding="ascii")
        os.kill(min(backend.worker_pids()), signal.SIGKILL)
        try:
            rc = backend.proc.wait(STOP_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail("the server kept running (restarting the worker) after it could "
                        "not start:\n" + "".join(backend.log[-10:]))
        ours = [line.strip() for line in backend.log if line.startswith("district-backend:")]
    assert rc == 1
    assert ours == [f"district-backend: 后台工作进程启动失败，服务已停止：密钥文件 "
                    f"{(data / KEY_FILE).resolve()} 已损坏"]
    assert not any("Traceback" in line for line in backend.log)


def test_a_worker_writes_why_it_cannot_start_and_exits_as_a_start_up_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / KEY_FILE).write_text("damaged\n", encoding="ascii")
    report = tmp_path / "report.txt"
    settings = ServeSettings(f"sqlite:///{tmp_path / 'd.db'}", str(tmp_path), str(tmp_path),
                             str(tmp_path / KEY_FILE), False, 10, str(report))
    monkeypatch.setenv(SETTINGS_ENV, json.dumps(settings.__dict__))
    with pytest.raises(SystemExit) as ended:
        make_app()
    assert ended.value.code == uvicorn.config.STARTUP_FAILURE
    assert report.read_text(encoding="utf-8") == f"密钥文件 {tmp_path / KEY_FILE} 已损坏"


@pytest.mark.skipif(not SPREADS, reason="workers bind their own sockets on Linux only")
def test_a_worker_that_cannot_listen_writes_why_and_exits_as_a_start_up_failure(
        tmp_path: Path) -> None:
    """Each worker binds its own socket on the supervisor's port (district_backend.listeners).
    Should that fail (here the port is held by a socket that shares it with no one), the
    worker ends as a start-up failure with the reason, like any other, instead of being
    restarted over and over."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    report = tmp_path / "report.txt"
    try:
        with pytest.raises(SystemExit) as ended:
            worker_listener(taken.family, taken.getsockname(), str(report))
    finally:
        taken.close()
    assert ended.value.code == uvicorn.config.STARTUP_FAILURE
    assert report.read_text(encoding="utf-8").startswith(f"工作进程无法监听 127.0.0.1:{port}：")


def test_a_tls_pair_that_cannot_load_is_one_line_before_anything_listens(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.pem"
    rc = main(["serve", "--tls-cert", str(missing), "--tls-key", str(missing),
               "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert rc == 1 and f"TLS 证书 {missing}" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "d").exists()


def test_more_workers_than_postgresql_has_connections_for_is_one_line_before_listening(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each worker may open CONNECTIONS_PER_WORKER connections: N workers that could need
    more than the server allows would fail at the busiest moment, so the start refuses."""
    from district_backend.db import CONNECTIONS_PER_WORKER, connection_budget_problem, make_engine

    catalogue = write_test_catalogue(tmp_path / "catalogue")
    with fresh_pg_schema() as db_url:
        engine = make_engine(db_url)
        try:
            assert connection_budget_problem(engine, 2) is None
            with engine.connect() as conn:
                allowed = int(conn.exec_driver_sql("SHOW max_connections").scalar_one())
        finally:
            engine.dispose()
        too_many = allowed // CONNECTIONS_PER_WORKER + 1
        rc = main(["serve", "--workers", str(too_many), "--db", db_url, "--port", "0",
                   "--catalogue", str(catalogue), "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert rc == 1 and len(err.strip().splitlines()) == 1, err
    assert f"{too_many} 个工作进程" in err and "max_connections" in err


def test_sqlite_has_no_connection_budget(tmp_path: Path) -> None:
    from district_backend.db import connection_budget_problem, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        assert connection_budget_problem(engine, 64) is None
    finally:
        engine.dispose()

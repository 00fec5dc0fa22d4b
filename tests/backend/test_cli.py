"""`district-backend` commands: enrolment output and QR code, stats, errors in one line."""

from __future__ import annotations

import json
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import uvicorn
import zxingcpp
from PIL import Image

from district_backend.cli import main
from station_app.wire.protocol import HealthResponse, PushResponse
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_enroll_prints_the_secret_once_and_a_qr_that_decodes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    png = tmp_path / "qdk01.png"
    rc, out, err = run(capsys, "enroll", "QDK01", "--name", "琴断口", "--data-dir", str(data),
                       "--backend-url", "https://hy.example/sync", "--qr-png", str(png))
    assert rc == 0 and err == ""
    secret = next(x.split(": ", 1)[1] for x in out.splitlines() if x.startswith("secret: "))
    assert len(secret) >= 43 and out.count(secret) == 2  # the secret line and the setup line
    assert "▀" in out or "▄" in out  # the terminal QR code
    with Image.open(png) as image:
        [code] = zxingcpp.read_barcodes(image)
    setup = urlsplit(code.text)
    assert (setup.scheme, setup.netloc) == ("redstation", "enroll")
    assert parse_qs(setup.query) == {"station": ["QDK01"], "secret": [secret],
                                     "backend": ["https://hy.example/sync"]}
    assert stat.S_IMODE(png.stat().st_mode) == 0o600
    key = data / "station-secrets.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    db = (data / "district.db").read_bytes()
    assert secret.encode() not in db  # sealed at rest


def test_enroll_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert run(capsys, "enroll", "QDK01", *data)[0] == 0
    for argv, needle in [(["enroll", "QDK01", *data], "--rotate"),
                         (["enroll", "qdk-01", *data], "qdk-01"),
                         (["enroll", "NEW01", "--rotate", *data], "NEW01")]:
        rc, out, err = run(capsys, *argv)
        assert rc == 1 and out == "" and needle in err
        assert len(err.strip().splitlines()) == 1


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["frobnicate"], ["case"], ["case", "advance"], ["serve", "--port", "x"]):
        rc, out, err = run(capsys, *argv)
        assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1, argv
    rc, out, _ = run(capsys, "--help")
    assert rc == 0 and "enroll" in out


def test_serve_refuses_remote_hosts_and_bad_catalogues(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path))
    assert rc == 1 and "--allow-remote" in err
    broken = tmp_path / "cat"
    broken.mkdir()
    rc, _, err = run(capsys, "serve", "--catalogue", str(broken), "--data-dir", str(tmp_path))
    assert rc == 1 and "事项目录" in err and len(err.strip().splitlines()) == 1
    rc, _, err = run(capsys, "serve", "--progress-rate", "0", "--data-dir", str(tmp_path))
    assert rc == 1 and "--progress-rate 须为正整数" in err


def test_serve_checks_the_worker_count(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_start(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("serve started despite a refused --workers")

    monkeypatch.setattr(uvicorn, "run", must_not_start)
    for count in ("0", "65"):
        rc, _, err = run(capsys, "serve", "--workers", count, "--data-dir", str(tmp_path))
        assert rc == 1 and "--workers 须为 1 到 64" in err and len(err.strip().splitlines()) == 1
    # SQLite takes one writer at a time: more workers would only queue, so they are refused
    rc, _, err = run(capsys, "serve", "--workers", "2", "--data-dir", str(tmp_path / "d"))
    assert rc == 1 and "PostgreSQL" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "d").exists()  # refused before anything was made
    rc, out, _ = run(capsys, "serve", "--help")
    assert rc == 0 and "--workers" in out


NO_RATINGS = {"ratings": {}, "followups_open": 0, "followups_closed": 0}


def test_stats_count_each_kind_of_answer(backend: RunningBackend, station: StationClient,
                                         make_submission: MakeSubmission) -> None:
    a, b = make_submission(), make_submission()
    station.push([a, b, make_submission(item_code="ZZ99")])  # 2 accepted, 1 rejected
    station.push([a])  # duplicate
    station.push([a])  # duplicate
    resp = station.push([{**b, "operator": "李帮办"}])  # conflict
    assert PushResponse.model_validate_json(resp.content).results[0].outcome == "conflict"
    backend.enroll("ZYM02", "知音驿站")
    rc, out, err = backend.cli("stats", "--json")
    assert rc == 0, err
    assert json.loads(out) == [
        {"station_id": "QDK01", "name": "琴断口街道红色驿站", "received": 2, "duplicates": 2,
         "conflicts": 1, "rejected": 1, "retries": 0, "audit_alerts": 0, **NO_RATINGS},
        {"station_id": "ZYM02", "name": "知音驿站", "received": 0, "duplicates": 0,
         "conflicts": 0, "rejected": 0, "retries": 0, "audit_alerts": 0, **NO_RATINGS},
    ]
    rc, out, _ = backend.cli("stats")
    assert rc == 0 and "QDK01\t2\t2\t1\t1\t0" in out


def test_serve_starts_a_working_server(tmp_path: Path,
                                       test_catalogue: Callable[[Path], Path]) -> None:
    """The real `district-backend serve` command, as IT staff would start it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    catalogue = test_catalogue(tmp_path / "catalogue")
    cmd = [sys.executable, "-m", "district_backend.cli", "serve", "--port", str(port),
           "--catalogue", str(catalogue), "--data-dir", str(tmp_path / "data"),
           "--log-level", "warning", "--progress-rate", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2) as resp:
                    assert HealthResponse.model_validate_json(resp.content).status == "ok"
                    break
            except requests.ConnectionError:
                assert proc.poll() is None, "server exited"
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        assert (tmp_path / "data" / "station-secrets.key").is_file()
        # two progress pages a minute per address: five requests meet a refusal in any window
        answers = [requests.get(f"http://127.0.0.1:{port}/q/HY261125-0000000{i}", timeout=5)
                   for i in range(5)]
        assert {a.status_code for a in answers} == {404, 429}
        assert all(int(a.headers["Retry-After"]) >= 1 for a in answers if a.status_code == 429)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    # uvicorn shuts down cleanly, then re-raises SIGTERM so the exit status tells the truth
    assert proc.returncode in (0, -signal.SIGTERM), err.decode()
    assert b"Traceback" not in err


def test_database_problems_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "stats", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1


def test_admin_commands_leave_a_row_in_the_admin_log(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    import getpass

    from sqlalchemy import create_engine, text

    resp = station.push([make_submission()])
    receipt = PushResponse.model_validate_json(resp.content).results[0].receipt_no
    assert receipt is not None
    assert backend.cli("case", "advance", receipt, "审核中", "--note", "材料已收")[0] == 0
    assert backend.cli("enroll", "QDK01", "--rotate")[0] == 0
    rc, _, err = backend.cli("case", "advance", receipt, "已领取")  # not allowed: no row
    assert rc == 1 and "不能" in err
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT actor, action, subject, detail FROM admin_events "
                                     "ORDER BY id")).all()
    finally:
        engine.dispose()
    me = getpass.getuser()
    assert [tuple(r) for r in rows] == [
        (me, "station.enrolled", "QDK01", "琴断口街道红色驿站"),
        (me, "case.advanced", receipt, "审核中"),
        (me, "station.rotated", "QDK01", ""),
    ]


def test_the_backend_engine_hides_statement_parameters(tmp_path: Path) -> None:
    """A failing statement's message (logged) must not carry a resident's values."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from district_backend.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table WHERE x = :v"),
                         {"v": "420105195603150015"})
    except DBAPIError as e:
        assert "420105195603150015" not in str(e)
    else:
        raise AssertionError("the statement should have failed")
    finally:
        engine.dispose()

"""`district-backend serve` as its own process, as IT staff start it: on an ephemeral loopback
port (the supervisor binds it and logs the port, also with ``--workers N``), handed over once
every worker serves, its log kept for the caller, stopped afterwards with every worker.
Shared by the worker tests and the sync benchmark."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

from district_backend.cli import main as backend_cli

STARTUP = 60.0
_URL = re.compile(r"running on (http://127\.0\.0\.1:\d+)")
_STARTED = "Application startup complete"  # uvicorn's log line, once per worker
_WORKER_MARK = "--multiprocessing-fork"  # how a spawned worker's command line ends
_ESTABLISHED = "01"  # a TCP state in /proc/net/tcp


@dataclass
class BackendProcess:
    url: str
    db_url: str
    data_dir: Path
    proc: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)
    """The server's stderr (uvicorn's log), line by line, appended while it runs."""

    def enroll(self, station_id: str) -> str:
        """Enrol a station through the CLI, in-process, against the same database and key;
        return its secret."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = backend_cli(["enroll", station_id, "--db", self.db_url,
                              "--data-dir", str(self.data_dir)])
        if rc != 0:
            raise RuntimeError(f"enroll {station_id} failed: {err.getvalue()}")
        return next(line.split(": ", 1)[1] for line in out.getvalue().splitlines()
                    if line.startswith("secret: "))

    def worker_pids(self) -> set[int]:
        return worker_pids(self.proc.pid)

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far: the supervisor and its current workers."""
        return sum(cpu_seconds(pid) for pid in {self.proc.pid, *self.worker_pids()})

    def logged(self, text: str) -> int:
        return sum(text in line for line in list(self.log))


def child_pids(pid: int) -> set[int]:
    """Direct children of ``pid``, from /proc (Linux)."""
    found: set[int] = set()
    with contextlib.suppress(FileNotFoundError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(FileNotFoundError):
                text = Path(f"/proc/{pid}/task/{task}/children").read_text(encoding="ascii")
                found.update(int(p) for p in text.split())
    return found


def worker_pids(supervisor: int) -> set[int]:
    """The supervisor's worker processes now (its other child, multiprocessing's resource
    tracker, is left out). With one worker the supervisor serves itself: an empty set."""
    return {pid for pid in child_pids(supervisor) if _WORKER_MARK in _cmdline(pid)}


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process (0 once it is gone), from /proc/PID/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connections_by_pid(pids: set[int], port: int) -> dict[int, int]:
    """How many established TCP connections to ``port`` each of ``pids`` holds (Linux:
    the socket inodes among each process's open files, looked up in /proc/net/tcp*)."""
    on_port: set[str] = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for row in Path(f"/proc/net/{table}").read_text(encoding="ascii").splitlines()[1:]:
                cols = row.split()
                local, state, inode = cols[1], cols[3], cols[9]
                if state == _ESTABLISHED and int(local.rsplit(":", 1)[1], 16) == port:
                    on_port.add(f"socket:[{inode}]")
    counts: dict[int, int] = {}
    for pid in pids:
        links = []
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(FileNotFoundError):
                    links.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        counts[pid] = sum(link in on_port for link in links)
    return counts


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores, from /proc/stat:
    two readings give how busy it was in between, whoever kept it busy."""
    values = [int(v) for v in Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0]
              .split()[1:9]]  # user nice system idle iowait irq softirq steal
    total = sum(values) / os.sysconf("SC_CLK_TCK")
    idle = (values[3] + values[4]) / os.sysconf("SC_CLK_TCK")
    return total - idle, total


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            "utf-8", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


@contextlib.contextmanager
def serve_process(data_dir: Path, db_url: str, catalogue: Path, *, workers: int = 1,
                  log_level: str = "info") -> Iterator[BackendProcess]:
    """Start ``district-backend serve`` and wait for its address; on leaving, stop it
    (SIGTERM, then SIGKILL) and SIGKILL any worker it left behind."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "district_backend.cli", "serve", "--db", db_url, "--data-dir",
         str(data_dir), "--catalogue", str(catalogue), "--port", "0", "--log-level", log_level,
         "--workers", str(workers)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, encoding="utf-8")
    log: list[str] = []
    reader = threading.Thread(target=_keep_log, args=(proc, log), name="backend-log",
                              daemon=True)
    reader.start()  # keeps reading, so the pipe never fills
    try:
        backend = BackendProcess(_wait_for_url(proc, log), db_url, data_dir, proc, log)
        _wait_until_serving(backend, workers)
        yield backend
    finally:
        _stop(proc)
        reader.join(15)
        if proc.stderr is not None:
            proc.stderr.close()


def _keep_log(proc: subprocess.Popen[str], log: list[str]) -> None:
    assert proc.stderr is not None
    with contextlib.suppress(ValueError, OSError):
        for line in proc.stderr:
            log.append(line)


def _wait_for_url(proc: subprocess.Popen[str], log: list[str]) -> str:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        for line in list(log):
            found = _URL.search(line)
            if found:
                return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    raise RuntimeError("backend did not start:\n" + "".join(log[-20:]))


def _wait_until_serving(backend: BackendProcess, workers: int) -> None:
    """Every worker has started its app and the socket answers. The supervisor logs the
    address when it binds the socket, but a worker only listens on it once its app has
    started: until then a connection is refused."""
    deadline = time.monotonic() + STARTUP
    with requests.Session() as session:
        session.trust_env = False  # loopback, never through a proxy
        while time.monotonic() < deadline and backend.proc.poll() is None:
            if backend.logged(_STARTED) >= workers:
                try:
                    with session.get(backend.url + "/v1/health", timeout=5) as resp:
                        if resp.status_code == 200:
                            return
                except requests.ConnectionError:
                    pass
            time.sleep(0.02)
    raise RuntimeError("backend did not start serving:\n" + "".join(backend.log[-20:]))


def _stop(proc: subprocess.Popen[str]) -> None:
    workers = worker_pids(proc.pid)
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(20)
    for pid in workers:  # a supervisor that was killed leaves its workers running
        if _WORKER_MARK in _cmdline(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

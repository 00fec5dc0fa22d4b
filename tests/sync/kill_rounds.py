"""The parent side of the kill test (test_kill.py): run one sync in kill_driver.py, follow the
lines it prints and SIGKILL it as planned, then wait until it is gone.

A sync runs in a process forked by the driver's fork server (:class:`ForkServer`, imports
once) or in a fresh interpreter (:func:`fresh_process`, the slow, fully real path). Both are
followed by :class:`Round`, which knows the driver's line protocol (kill_driver.py) and
fails with the kernel's and the driver's own view of a process that hangs, so that what the
test asserts (in test_kill.py) stays apart from how a child is started, watched and killed.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .kernel_state import kernel_state

DRIVER = Path(__file__).with_name("kill_driver.py")
ROUND_TIMEOUT = 60.0  # from the start of a sync to its kill point or its end
EXIT_WAIT = 90.0  # from SIGKILL until the process is gone (disk sleep under load finishes)
RECENT_LINES = 12
PROTOCOL_LINE = re.compile(r"serving|pid \d+|ready|stage \w+ \d+|done \d+|exit -?\d+")
STACK_DUMP_WAIT = 2.0  # for the driver's Python stacks to reach its log after SIGUSR1
STAGES = ("pushing", "replied", "applied")  # the engine's hook points the driver reports


def _dump_python_stacks(pid: int) -> None:
    """Ask a hanging driver for its Python stacks (kill_driver.py registers SIGUSR1 with
    faulthandler; they go to its stderr, the log printed on failure)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGUSR1)
        time.sleep(STACK_DUMP_WAIT)


class Lines:
    """Lines a process writes to stdout, collected by a thread (joined at close); the last
    few taken are kept for failure reports."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.recent: collections.deque[str | None] = collections.deque(maxlen=RECENT_LINES)
        self._thread = threading.Thread(target=self._read, args=(stream,), name="kill-lines")
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float) -> str | None:
        """The next line; None at end of output. Raises queue.Empty after ``timeout``, and
        fails at once on a line outside the driver's protocol (half a line left by a kill
        would otherwise hide the line glued to it)."""
        line = self._queue.get(timeout=max(timeout, 0.0))
        self.recent.append(line)
        if line is not None and not PROTOCOL_LINE.fullmatch(line):
            raise AssertionError(f"unreadable line from the kill driver: {line!r}; "
                                 f"{self.report()}")
        return line

    def report(self) -> str:
        return f"last lines read: {list(self.recent)!r}; reader alive: {self._thread.is_alive()}"

    def join(self) -> None:
        self._thread.join(10)
        assert not self._thread.is_alive()


def _popen(args: list[str], log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(DRIVER), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8")


def _stop(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(OSError):
        if proc.stdin is not None:
            proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@dataclass
class Plan:
    """How one round ends: killed at a hook point, after a delay, or left to finish."""

    pause: str | None  # "STAGE:N"
    delay: float | None  # seconds after "ready" (negative: before it)


@dataclass
class Outcome:
    code: int
    stages: list[str]
    done: bool

    @property
    def killed(self) -> bool:
        return self.code == -signal.SIGKILL


class Round:
    """One sync process (``pid``), followed through its output; ``kill`` sends SIGKILL."""

    def __init__(self, lines: Lines, pid: int, kill: Callable[[], None]) -> None:
        self.lines = lines
        self.pid = pid
        self._kill = kill

    def drive(self, plan: Plan) -> tuple[bool, list[str], bool]:
        """Follow the child's output and kill it as planned. Returns (kill sent, stages
        seen, finished by itself)."""
        end = time.monotonic() + ROUND_TIMEOUT
        stages: list[str] = []
        kill_at: float | None = None
        if plan.delay is not None and plan.delay < 0:
            kill_at = time.monotonic() - plan.delay
        while True:
            now = time.monotonic()
            if kill_at is not None and now >= kill_at:
                self._kill()
                return True, stages, False
            wait = (kill_at if kill_at is not None else end) - now
            if now >= end:
                _dump_python_stacks(self.pid)
                state = kernel_state(self.pid)
                self._kill()  # never leave it running behind the failure
                raise AssertionError(f"sync round did not end in {ROUND_TIMEOUT} s: {stages}; "
                                     f"{self.lines.report()}\n{state}")
            try:
                line = self.lines.next(wait)
            except queue.Empty:
                continue
            if line is None or line.startswith("exit "):
                raise AssertionError(f"sync process ended early: {line} after {stages}")
            if line == "ready" and plan.delay is not None and plan.delay >= 0:
                kill_at = time.monotonic() + plan.delay
            elif line.startswith("stage "):
                _, name, nth = line.split()
                stages.append(name)
                if plan.pause == f"{name}:{nth}":
                    self._kill()
                    return True, stages, False
            elif line.startswith("done"):
                return False, stages, True


class ForkServer:
    """kill_driver.py --serve: imports once, forks one process per sync."""

    def __init__(self, log: IO[str]) -> None:
        self.proc = _popen(["--serve"], log)
        assert self.proc.stdout is not None
        self.lines = Lines(self.proc.stdout)
        first = self.lines.next(60)
        assert first == "serving", first

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def run(self, data_dir: Path, seed: int, plan: Plan) -> Outcome:
        self._send(f"run {data_dir} {seed} {plan.pause or ''}".rstrip())
        line = self.lines.next(ROUND_TIMEOUT)
        assert line is not None and line.startswith("pid "), line
        pid = int(line.split()[1])

        def kill() -> None:  # safe: the server does not reap it before we say "reap"
            os.kill(pid, signal.SIGKILL)

        sent, stages, done = Round(self.lines, pid, kill).drive(plan)
        self._send("reap")
        end = time.monotonic() + EXIT_WAIT
        while True:
            try:
                line = self.lines.next(end - time.monotonic())
            except queue.Empty:
                _dump_python_stacks(self.proc.pid)
                raise AssertionError(
                    f"sync process {pid} not reported gone {EXIT_WAIT:.0f} s after "
                    f"{'SIGKILL' if sent else 'its end'} (stages {stages}); "
                    f"{self.lines.report()}\n{kernel_state(pid)}\n"
                    f"fork server: {kernel_state(self.proc.pid)}") from None
            assert line is not None, "fork server ended"
            if line.startswith("exit "):
                return Outcome(int(line.split()[1]), stages, done)
            if line.startswith("done"):
                done = True

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._send("quit")
        _stop(self.proc)
        self.lines.join()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def fresh_process(data_dir: Path, seed: int, plan: Plan, log: IO[str]) -> Outcome:
    """One sync in a newly started interpreter (the slow, fully real path)."""
    proc = _popen([str(data_dir), str(seed), *([plan.pause] if plan.pause else [])], log)
    assert proc.stdout is not None
    lines = Lines(proc.stdout)
    try:
        sent, stages, done = Round(lines, proc.pid,
                                    lambda: proc.send_signal(signal.SIGKILL)).drive(plan)
        try:
            code = proc.wait(EXIT_WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"sync process {proc.pid} not gone {EXIT_WAIT:.0f} s after "
                f"{'SIGKILL' if sent else 'its end'} (stages {stages})\n"
                f"{kernel_state(proc.pid)}") from None
        return Outcome(code, stages, done)
    finally:
        if proc.poll() is None:
            proc.kill()
        _stop(proc)
        lines.join()
        proc.stdout.close()


@contextlib.contextmanager
def fork_server(log: IO[str]) -> Iterator[ForkServer]:
    server = ForkServer(log)
    try:
        yield server
    finally:
        server.close()

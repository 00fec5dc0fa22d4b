"""Child process of the sync kill test: the station's sync engine, lean, until SIGKILL.

Usage: kill_driver.py DATA_DIR SEED [STAGE:N]     one sync, in this process
       kill_driver.py --serve                      a fork server (see below)

A sync takes the data folder's instance lock (as ``station-app sync --once`` does), prints
``ready``, then pushes the queue in small batches and pulls the change feed, printing
``stage NAME N`` at each of the engine's hook points (``pushing`` / ``replied`` /
``applied``). With ``STAGE:N`` it stops at the N-th time it reaches STAGE and waits for the
parent, which kills it there. Ends with ``done ACKED`` when it was not killed.

It imports only the store and sync layers (not the services, catalogue or Qt). Even so,
starting an interpreter and importing SQLAlchemy costs one to two seconds on a busy CI
machine, so the test mostly uses ``--serve``: the modules are imported once, and each
``run DATA_DIR SEED [STAGE:N]`` line on stdin forks a fresh process for one sync. The
server prints ``pid PID`` before the sync starts, leaves the process unreaped (so its pid
cannot be reused) until it reads ``reap``, then prints ``exit CODE`` (-9 after SIGKILL).
``quit`` or end of input stops the server.

Every line goes out in one ``write(2)`` (:func:`say`): a SIGKILL can then never leave half a
line behind for the fork server's next line to be glued to. SIGUSR1 makes a sync print every
thread's Python stack on stderr (faulthandler), so the test can show where a round that does
not end is stuck.
"""

from __future__ import annotations

import faulthandler
import os
import random
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from station_app.config import load_secret, load_settings
from station_app.instance_lock import InstanceLock
from station_app.store.engine import open_engine, session_scope
from station_app.sync.attachments import FileAttachments
from station_app.sync.backoff import BackoffPolicy
from station_app.sync.client import ClientConfig, SyncClient
from station_app.sync.engine import SyncEngine
from station_app.sync.run import SyncOptions

RUN_SECONDS = 30.0
PAUSE_SECONDS = 60.0  # the parent kills us long before this


def say(*words: object) -> None:
    """One line on stdout in a single write: a pipe write under PIPE_BUF bytes is atomic.
    (``print`` writes word by word when Python runs unbuffered, as with PYTHONUNBUFFERED=1
    on CI; a sync killed between two words left "stage" without its end of line, the
    server's "exit -9" was appended to it, and the test waited for an exit line that never
    came: "a SIGKILLed child not gone within 30 s".)"""
    os.write(sys.stdout.fileno(), (" ".join(map(str, words)) + "\n").encode("utf-8"))


def main(argv: list[str]) -> int:
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    data_dir, seed = Path(argv[0]), int(argv[1])
    stage_wanted, _, nth = (argv[2] if len(argv) > 2 else "").partition(":")
    seen: dict[str, int] = {}

    def hook(stage: str) -> None:
        seen[stage] = seen.get(stage, 0) + 1
        say("stage", stage, seen[stage])
        if stage == stage_wanted and str(seen[stage]) == nth:
            time.sleep(PAUSE_SECONDS)

    with InstanceLock(data_dir):
        settings, secret = load_settings(data_dir), load_secret(data_dir)
        assert settings.backend_url and settings.station_id and secret
        db = open_engine(data_dir / "station.db")

        @contextmanager
        def sessions() -> Iterator[Session]:
            with session_scope(db) as s:
                yield s

        client = SyncClient(ClientConfig(settings.backend_url, settings.station_id, secret,
                                         connect_timeout=2.0, read_timeout=5.0))
        options = SyncOptions(batch_items=3, policy=BackoffPolicy(base=0.02, cap=0.2))
        engine = SyncEngine(client, sessions, station_id=settings.station_id,
                            attachments=FileAttachments(data_dir / "attachments"),
                            options=options, rng=random.Random(seed).random, hook=hook)
        say("ready")
        try:
            report = engine.drain(time.monotonic() + RUN_SECONDS)
            engine.run_once(push=False, changes=True)
        finally:
            engine.close()
            db.dispose()
    say("done", report.acked)
    return 0


def serve() -> int:
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    say("serving")
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] != "run":
            say("unknown command", words[0])
            continue
        go_read, go_write = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child: wait until the parent has announced our pid, then sync
            code = 1
            try:
                os.close(go_write)
                os.read(go_read, 1)
                os.close(go_read)
                code = main(words[1:])
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(go_read)
        say("pid", pid)
        os.write(go_write, b"g")
        os.close(go_write)
        sys.stdin.readline()  # "reap": until then the child stays a zombie at worst
        _, status = os.waitpid(pid, 0)
        say("exit", os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    sys.exit(serve() if sys.argv[1:] == ["--serve"] else main(sys.argv[1:]))

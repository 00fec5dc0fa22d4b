"""The app as each worker process of `district-backend serve --workers N` builds it, and the
supervisor that starts them.

uvicorn starts its workers as fresh interpreters (spawn) and asks each for the app through an
import string, so the settings cannot be handed over as Python objects. The parent resolves
and checks everything first (catalogue, data folder, sealing key, TLS pair, database tables),
then writes the resolved settings as JSON into one environment variable that the workers
inherit; each worker reads it in :func:`make_app`. Nothing is decided twice: a worker only
reads. The sealing key is read, never created, by a worker, so all of them use the parent's.
Each worker listens on a socket of its own on the one port, so the kernel spreads the
stations' connections over them (:mod:`district_backend.listeners`).

A worker can still fail to start (the key file damaged or the database away when a killed
worker is replaced). It then writes the operator's line to the start-up report and exits with
uvicorn's start-up failure status: uvicorn stops every worker instead of restarting one that
would fail the same way, and :func:`run_workers` turns that into an error with the worker's
reason, so the command ends non-zero with one line instead of 0 or a restart loop.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from district_backend.app import create_app
from district_backend.db import connection_budget_problem, make_engine
from district_backend.listeners import end_start_up, listening_sockets
from district_backend.operator_errors import explain
from district_backend.stations import StationError, read_key

SETTINGS_ENV = "DISTRICT_BACKEND_WORKER_SETTINGS"
FACTORY = f"{__name__}:make_app"
"""The import string uvicorn is given (with ``factory=True``)."""


@dataclass(frozen=True)
class ServeSettings:
    """Everything a worker needs to build the same app as its siblings."""

    db_url: str
    catalogue_dir: str
    attachment_dir: str
    key_file: str
    api_docs: bool
    progress_per_minute: int
    startup_report: str = ""
    """Where a worker that cannot start writes why (set by :func:`run_workers`)."""

    def build_app(self) -> FastAPI:
        return create_app(self.db_url, catalogue_dir=Path(self.catalogue_dir),
                          attachment_dir=Path(self.attachment_dir),
                          secret_key=read_key(Path(self.key_file)), api_docs=self.api_docs,
                          progress_per_minute=self.progress_per_minute)

    def hand_down(self, environ: MutableMapping[str, str]) -> None:
        """Put the settings where the workers started after this call will find them."""
        environ[SETTINGS_ENV] = json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def handed_down(cls, environ: MutableMapping[str, str]) -> ServeSettings:
        raw = environ.get(SETTINGS_ENV)
        if not raw:
            raise RuntimeError(f"{SETTINGS_ENV} is not set: workers are started by "
                               "`district-backend serve --workers N`")
        return cls(**json.loads(raw))


def make_app() -> FastAPI:
    """uvicorn's app factory in each worker; a failure ends the worker as a start-up failure
    (see the module), its reason in the start-up report."""
    report = ""
    try:
        settings = ServeSettings.handed_down(os.environ)
        report = settings.startup_report
        return settings.build_app()
    except Exception as e:  # whatever stops this worker stops them all: say why, once
        end_start_up(report, explain(e) or f"意外错误（{type(e).__name__}）")


def run_workers(settings: ServeSettings, workers: int, options: dict[str, Any]) -> None:
    """Serve with ``workers`` processes until told to stop (uvicorn's supervisor replaces a
    worker that dies); StationError when one failed to start, which stopped them all."""
    engine = make_engine(settings.db_url)  # tables made once here, not raced by the workers
    try:
        problem = connection_budget_problem(engine, workers)
    finally:
        engine.dispose()
    if problem is not None:
        raise StationError(problem)
    fd, report = tempfile.mkstemp(prefix="district-backend-start-", suffix=".txt")
    os.close(fd)
    try:
        replace(settings, startup_report=report).hand_down(os.environ)
        config = uvicorn.Config(FACTORY, factory=True, workers=workers, **options)
        sockets = listening_sockets(config, report)  # one per worker (district_backend.listeners)
        try:
            supervisor = Multiprocess(config, sockets=sockets)
            supervisor.run()
        finally:
            for sock in sockets:
                sock.close()
        if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
            reason = Path(report).read_text(encoding="utf-8").strip() or "原因见上方日志"
            raise StationError(f"后台工作进程启动失败，服务已停止：{reason}")
    finally:
        Path(report).unlink(missing_ok=True)

"""`district-backend serve --workers 2`: the kernel spreads the stations' connections over the
workers, instead of whichever worker is awake taking them all.

A station keeps its connection open between pushes, so it stays with the worker that accepted
it. Here one worker is paused (SIGSTOP: busy, as far as accepting goes) while 40 stations
connect and ask for /v1/health; once the awake worker has taken what it can, the paused one
resumes and every request is answered. With one socket shared by the workers, the awake
worker takes all 40. With a socket per worker (district_backend.listeners) each new
connection is queued for one worker by a hash of its addresses, so each holds its share:
fewer than 5 of 40 on either happens about once in five million runs.
"""

from __future__ import annotations

import http.client
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from district_backend.listeners import SPREADS
from tests.helpers.backend_process import connections_by_pid, serve_process
from tests.helpers.catalogue import write_test_catalogue
from tests.helpers.postgres import fresh_pg_schema

CONNECTIONS = 40
AT_LEAST = 5  # connections each worker must hold
SETTLE = 0.3  # seconds the awake worker's connection count must stay unchanged
DEADLINE = 60.0

pytestmark = pytest.mark.skipif(not SPREADS, reason="the kernel spreads connections on Linux")


def test_each_worker_gets_its_share_of_connections_made_at_once(tmp_path: Path) -> None:
    catalogue = write_test_catalogue(tmp_path / "catalogue")
    with fresh_pg_schema() as db_url, serve_process(tmp_path / "district-data", db_url,
                                                    catalogue, workers=2) as backend:
        where = urlsplit(backend.url)
        port = where.port or 0
        paused, awake = sorted(backend.worker_pids())
        conns = [http.client.HTTPConnection(where.hostname or "", port, timeout=DEADLINE)
                 for _ in range(CONNECTIONS)]
        os.kill(paused, signal.SIGSTOP)
        try:
            for conn in conns:
                conn.request("GET", "/v1/health")  # keep-alive: the connection stays open
            _settle(lambda: connections_by_pid({awake}, port)[awake])
        finally:
            os.kill(paused, signal.SIGCONT)
        try:
            statuses = []
            for conn in conns:
                with conn.getresponse() as resp:
                    resp.read()
                    statuses.append(resp.status)
            held = connections_by_pid({paused, awake}, port)
        finally:
            for conn in conns:
                conn.close()
    assert statuses == [200] * CONNECTIONS
    assert sum(held.values()) == CONNECTIONS
    assert min(held.values()) >= AT_LEAST, held


def _settle(count: Callable[[], int]) -> None:
    """Wait until ``count()`` stops changing (the awake worker has accepted all it can)."""
    deadline = time.monotonic() + DEADLINE
    last = -1
    while (now := count()) != last and time.monotonic() < deadline:
        last = now
        time.sleep(SETTLE)

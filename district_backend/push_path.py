"""POST /v1/push, the request every station makes most, on the shortest path through the server.

Other endpoints check the signature in one thread hop (reading the station's secret), record
the nonce in a second (its own transaction) and run the handler in a third, whose answer
FastAPI then validates against the response model and serialises. A push instead:

* checks the headers on the event loop with the secret this process last read (a thread hop
  reads it when there is none yet, or when the signature fails with it);
* reads the body, capped, only after that;
* makes one thread hop, in which it parses the batch and stores it in one transaction that
  also locks the station's row, re-checks the secret and records the nonce
  (:meth:`district_backend.auth.Authenticator.admit`);
* answers with the reply already serialised from the models that built it (nothing is
  validated twice).

At most :func:`push_threads` pushes per process run at once, fewer than the database pool
holds, so a burst of stations queues here instead of opening and closing database connections.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi import FastAPI, Request, Response
from sqlalchemy import Engine
from sqlmodel import Session

from district_backend.auth import (
    Authenticator,
    SignedRequest,
    Verified,
    check_declared_length,
    check_signed_body,
    read_body,
)
from district_backend.catalogue import CatalogueSource
from district_backend.db import write_gate
from district_backend.envelopes import parse_json
from district_backend.errors import ApiError
from district_backend.ingest import Ingest
from station_app.domain.catalogue_loader import Catalogue
from station_app.wire.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    PushEnvelope,
    PushResponse,
)

PUSH_THREADS = 8
"""Pushes one process stores at once on PostgreSQL (each holds a database connection
meanwhile): while one waits on the server, the others parse and check their batches."""
SQLITE_PUSH_THREADS = 2
"""On SQLite: one push writing (writes queue on :func:`~district_backend.db.write_gate`
anyway) and one parsing and checking the next batch. More threads only contend for the
interpreter lock: measured with 50 stations, 8 threads cost ~20 % more CPU per case than 2
(tests/bench/bench_sync.py)."""


def push_threads(engine: Engine) -> int:
    """How many pushes this process runs at once against ``engine``'s database."""
    return SQLITE_PUSH_THREADS if engine.dialect.name == "sqlite" else PUSH_THREADS


class Pushes:
    """Answers a push whose headers verified: the blocking part, run in a worker thread."""

    def __init__(self, engine: Engine, auth: Authenticator, ingest: Ingest,
                 catalogue: CatalogueSource) -> None:
        self._engine = engine
        self._auth = auth
        self._ingest = ingest
        self._catalogue = catalogue

    @property
    def threads(self) -> int:
        """Pushes to run at once (see :func:`push_threads`)."""
        return push_threads(self._engine)

    def answer(self, verified: Verified, body: bytes, now: float) -> bytes:
        """The reply's JSON bytes; ApiError for a request refused whole."""
        check_signed_body(verified.signed, body)
        try:
            envelope, catalogue = self._read(verified.station_id, body)
        except ApiError:
            self._spend_nonce(verified, now)  # a refused request is not replayable either
            raise
        with (write_gate(self._engine), Session(self._engine) as session,
              session.begin()):
            self._auth.admit(session, verified, now)
            results = self._ingest.push_in(session, verified.station_id, envelope, catalogue,
                                           now)
        return PushResponse(results=results).model_dump_json().encode("utf-8")

    def _read(self, station_id: str, body: bytes) -> tuple[PushEnvelope, Catalogue]:
        envelope = parse_json(body, PushEnvelope)
        if envelope.station_id != station_id:
            raise ApiError(403, "station_mismatch", "请求体中的站点编号与签名站点不一致")
        if len(envelope.submissions) > MAX_BATCH_ITEMS:
            raise ApiError(413, "too_many_items",
                           f"一批最多 {MAX_BATCH_ITEMS} 件，本批 {len(envelope.submissions)} 件")
        return envelope, self._catalogue.get().catalogue

    def _spend_nonce(self, verified: Verified, now: float) -> None:
        """Record the nonce of a request refused whole, after the same checks as a stored
        push: a replay or a rotated secret answers 401 instead of the refusal."""
        with write_gate(self._engine), Session(self._engine) as session, session.begin():
            self._auth.admit(session, verified, now)


def install(app: FastAPI, auth: Authenticator, pushes: Pushes,
            clock: Callable[[], float]) -> None:
    limiter: list[anyio.CapacityLimiter] = []  # made on first use, inside the event loop

    @app.post("/v1/push", response_model=PushResponse,
              summary="批量上报办件 / Push a batch of submissions, one result per item")
    async def push(request: Request) -> Response:
        check_declared_length(request, MAX_BATCH_BYTES)
        signed = SignedRequest.of(request)
        verified = auth.check_headers_known(signed, clock())
        if verified is None:
            verified = await anyio.to_thread.run_sync(auth.check_headers_read, signed, clock())
        body = await read_body(request, MAX_BATCH_BYTES)  # only a signed request gets here
        if not limiter:
            limiter.append(anyio.CapacityLimiter(pushes.threads))
        reply = await anyio.to_thread.run_sync(pushes.answer, verified, body, clock(),
                                               limiter=limiter[0])
        return Response(reply, media_type="application/json")

"""The FastAPI application: routes, the signing guard and the OpenAPI description.

Handlers are thin: they authenticate, parse, and delegate to ingest/cases/attachments, which
own their transactions. Blocking database work runs in the threadpool, never on the loop.
POST /v1/push, the busiest request, has a shorter path of its own: district_backend.push_path.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from district_backend import audit_heads, cases, feedback, progress_page, push_path
from district_backend.attachments import AttachmentStore
from district_backend.auth import Authenticator, Signed, check_declared_length, read_body
from district_backend.catalogue import CatalogueSource, etag_matches
from district_backend.db import iso_utc, make_engine
from district_backend.envelopes import parse_json
from district_backend.errors import ApiError, install_handlers
from district_backend.ingest import Ingest
from district_backend.openapi import DESCRIPTION, DistrictAPI
from district_backend.rate_limit import DEFAULT_PER_MINUTE
from district_backend.stations import SecretBox
from station_app.wire.bounds import MAX_EVENT_ID
from station_app.wire.feedback import (
    MAX_FEEDBACK_BYTES,
    MAX_FEEDBACK_ITEMS,
    FeedbackEnvelope,
    FeedbackResponse,
)
from station_app.wire.patterns import SHA256_PATTERN
from station_app.wire.protocol import (
    MAX_ATTACHMENT_BYTES,
    MAX_CHANGES_LIMIT,
    PROTOCOL_VERSION,
    AttachmentResult,
    AuditHeadReply,
    AuditHeadReport,
    CatalogueResponse,
    ChangesResponse,
    HealthResponse,
)

Clock = Callable[[], float]


@dataclass(frozen=True)
class Backend:
    engine: Engine
    auth: Authenticator
    ingest: Ingest
    attachments: AttachmentStore
    catalogue: CatalogueSource
    clock: Clock


def _backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


def _signed(limit: int) -> Callable[[Request], Awaitable[Signed]]:
    async def verify(request: Request) -> Signed:
        backend = _backend(request)
        check_declared_length(request, limit)
        station_id, headers = await run_in_threadpool(
            backend.auth.check_headers, request, backend.clock())
        body = await read_body(request, limit)  # only a signed request gets this far
        return await run_in_threadpool(backend.auth.accept, station_id, headers, body,
                                       backend.clock())
    return verify


SignedSmall = Annotated[Signed, Depends(_signed(0))]
SignedUpload = Annotated[Signed, Depends(_signed(MAX_ATTACHMENT_BYTES))]
SignedAuditHead = Annotated[Signed, Depends(_signed(4096))]
SignedFeedback = Annotated[Signed, Depends(_signed(MAX_FEEDBACK_BYTES))]
Sha256 = Annotated[str, PathParam(pattern=SHA256_PATTERN,
                                  description="内容的 SHA-256，小写十六进制")]


def create_app(db_url: str, *, catalogue_dir: Path, attachment_dir: Path,
               secret_key: bytes | None = None, clock: Clock = time.time,
               api_docs: bool = False,
               progress_per_minute: int = DEFAULT_PER_MINUTE) -> FastAPI:
    """Build the app; the engine is disposed when the app's lifespan ends.

    ``api_docs`` serves ``/docs`` and ``/openapi.json`` (unsigned); off by default, so a
    production server does not describe itself to whoever asks. ``app.openapi()`` works
    either way, for tests and tools that read the schema in-process.
    ``progress_per_minute``: how often one client address may open the public progress page
    (``/q/{tracking_ref}``) per minute."""
    engine = make_engine(db_url)
    attachments = AttachmentStore(attachment_dir, engine)
    backend = Backend(engine, Authenticator(engine, SecretBox(secret_key)),
                      Ingest(engine, attachments), attachments,
                      CatalogueSource(catalogue_dir), clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            engine.dispose()

    docs: dict[str, Any] = {} if api_docs else {
        "docs_url": None, "redoc_url": None, "openapi_url": None}
    app = DistrictAPI(title="红色驿站 区级后台 / Red Station district backend",
                      version=str(PROTOCOL_VERSION), description=DESCRIPTION, lifespan=lifespan,
                      **docs)
    app.state.backend = backend
    install_handlers(app)
    push_path.install(app, backend.auth, push_path.Pushes(
        engine, backend.auth, backend.ingest, backend.catalogue), clock)
    _routes(app)
    progress_page.install(app, engine=engine, catalogue=backend.catalogue, clock=clock,
                          per_minute=progress_per_minute)
    return app


def _routes(app: FastAPI) -> None:
    @app.get("/v1/health", response_model=HealthResponse,
             summary="健康检查与服务器时间 / Health and server time (unsigned)")
    def health(request: Request) -> HealthResponse:
        now = _backend(request).clock()
        return HealthResponse(status="ok", server_time=iso_utc(now), server_unix=int(now),
                              protocol_version=PROTOCOL_VERSION)

    @app.post("/v1/feedback", response_model=FeedbackResponse,
              summary="上报好差评与差评回访 / Ratings and follow-up closures, one result per item")
    def post_feedback(request: Request, signed: SignedFeedback) -> FeedbackResponse:
        backend = _backend(request)
        envelope = parse_json(signed.body, FeedbackEnvelope)
        if envelope.station_id != signed.station_id:
            raise ApiError(403, "station_mismatch", "请求体中的站点编号与签名站点不一致")
        if len(envelope.items) > MAX_FEEDBACK_ITEMS:
            raise ApiError(413, "too_many_items",
                           f"一批最多 {MAX_FEEDBACK_ITEMS} 条，本批 {len(envelope.items)} 条")
        return feedback.receive(backend.engine, signed.station_id, envelope, backend.clock())

    @app.put("/v1/attachments/{sha256}", response_model=AttachmentResult,
             status_code=201, responses={200: {"model": AttachmentResult,
                                                "description": "已存在 / already stored"}},
             summary="上传附件（按内容寻址，幂等）/ Upload an attachment by SHA-256 (idempotent)")
    def put_attachment(request: Request, sha256: Sha256, signed: SignedUpload) -> JSONResponse:
        backend = _backend(request)
        result = backend.attachments.put(sha256, signed.body, backend.clock())
        return JSONResponse(result.model_dump(), status_code=201 if result.status == "created"
                            else 200)

    @app.head("/v1/attachments/{sha256}", status_code=200,
              summary="附件是否已上传 / Is this attachment stored? (X-Attachment-Size)")
    def head_attachment(request: Request, sha256: Sha256, _signed: SignedSmall) -> Response:
        size = _backend(request).attachments.size(sha256)
        if size is None:
            return Response(status_code=404)
        return Response(status_code=200, headers={"X-Attachment-Size": str(size)})

    @app.get("/v1/changes", response_model=ChangesResponse,
             summary="本站办件状态变更 / This station's case status changes after a cursor")
    def get_changes(
        request: Request, signed: SignedSmall,
        cursor: Annotated[int, Query(ge=0, le=MAX_EVENT_ID,
                                     description="上次的 next_cursor；首次为 0")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_LIMIT)] = 100,
    ) -> ChangesResponse:
        return cases.changes(_backend(request).engine, signed.station_id, cursor, limit)

    @app.post("/v1/audit-head", response_model=AuditHeadReply,
              summary="报送审计链头 / Report the station's audit chain head")
    def audit_head(request: Request, signed: SignedAuditHead) -> AuditHeadReply:
        try:
            report = AuditHeadReport.model_validate_json(signed.body)
        except ValidationError:
            raise ApiError(422, "invalid_request", "审计链头报文结构不对") from None
        backend = _backend(request)
        return audit_heads.record(backend.engine, signed.station_id, report, backend.clock())

    @app.get("/v1/catalogue", response_model=CatalogueResponse,
             responses={304: {"description": "未变化 / Not modified (If-None-Match)"}},
             summary="事项目录（带 ETag）/ The service catalogue, with a strong ETag")
    def get_catalogue(request: Request, _signed: SignedSmall,
                      if_none_match: Annotated[str | None, Header()] = None) -> Response:
        published = _backend(request).catalogue.get()
        headers = {"ETag": published.etag, "Cache-Control": "no-cache"}
        if etag_matches(if_none_match, published.etag):
            return Response(status_code=304, headers=headers)
        return Response(published.body, media_type="application/json", headers=headers)

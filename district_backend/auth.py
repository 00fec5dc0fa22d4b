"""Request authentication: body size caps, HMAC verification and the nonce replay check.

The body is read (with a cap) before anything else so the signature can cover it; the nonce
is recorded only after the signature verified, so a forger cannot use up a station's nonces.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.requests import ClientDisconnect, Request

from district_backend.errors import ApiError
from district_backend.models import Nonce
from district_backend.stations import SecretBox, StationError, station_secret
from station_app.wire.signing import (
    MAX_SKEW_SECONDS,
    SignatureError,
    signed_station,
    verify_signature,
)

NONCE_KEEP_SECONDS = 2 * MAX_SKEW_SECONDS + 60  # a timestamp this old is rejected anyway


@dataclass(frozen=True)
class Signed:
    """A verified request: who sent it and the exact body bytes that were signed."""

    station_id: str
    body: bytes


async def read_body(request: Request, limit: int) -> bytes:
    """Read the whole body, answering 413 as soon as it is known to exceed `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"请求体 {declared} 字节，超过上限 {limit} 字节")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, "too_large", f"请求体超过上限 {limit} 字节")
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, "incomplete_body", "请求体未传完，连接已断开") from None
    return b"".join(chunks)


class Authenticator:
    """Verifies signed requests against the stations table (thread-safe, no shared state
    except the prune timestamp, where a lost update only means one extra prune)."""

    def __init__(self, engine: Engine, box: SecretBox) -> None:
        self._engine = engine
        self._box = box
        self._last_prune = 0.0

    def verify(self, request: Request, body: bytes, now: float) -> Signed:
        """Raise ApiError(401) with the reason, or return the authenticated station."""
        try:
            return self._verify(request, body, now)
        except SignatureError as e:
            raise ApiError(401, e.code, e.reason) from None

    def _verify(self, request: Request, body: bytes, now: float) -> Signed:
        station_id = signed_station(request.headers)
        with Session(self._engine) as session, session.begin():
            try:
                secret = station_secret(session, self._box, station_id)
            except StationError as e:
                raise ApiError(500, "server_key_error", str(e)) from None
            if secret is None:
                raise SignatureError("unknown_station", f"未登记的站点 {station_id}，请先登记")
            nonce, _ts = verify_signature(
                request.method, request.url.path, request.url.query, request.headers, body,
                secret, now=now,
            )
            try:
                with session.begin_nested():
                    session.add(Nonce(station_id=station_id, nonce=nonce, seen_at=int(now)))
            except IntegrityError:
                raise SignatureError("replayed_nonce", "X-Nonce 已用过，疑似重放") from None
            if now - self._last_prune > 60:
                self._last_prune = now
                session.execute(delete(Nonce).where(
                    Nonce.seen_at < int(now) - NONCE_KEEP_SECONDS))  # type: ignore[arg-type]
        return Signed(station_id, body)

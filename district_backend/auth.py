"""Request authentication: headers first, then a capped body, then the nonce replay check.

The signature covers the declared body hash, so it is checked before a byte of the body is
read: an unsigned or forged 19 MiB upload is answered 401 without being buffered. Only then is
the body read (with the endpoint's cap) and compared with the signed hash. The nonce is
recorded last, so a forger cannot use up a station's nonces. Unknown station and bad
signature get one answer, so station ids cannot be probed.
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
    SignedHeaders,
    check_body,
    signed_station,
    verify_headers,
)

NONCE_KEEP_SECONDS = 2 * MAX_SKEW_SECONDS + 60  # a timestamp this old is rejected anyway


@dataclass(frozen=True)
class Signed:
    """A verified request: who sent it and the exact body bytes that were signed."""

    station_id: str
    body: bytes


def check_declared_length(request: Request, limit: int) -> None:
    """413 at once when the declared length is over `limit`: costs nothing, reads nothing."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"请求体 {declared} 字节，超过上限 {limit} 字节")


async def read_body(request: Request, limit: int) -> bytes:
    """Read the whole body, answering 413 as soon as it is known to exceed `limit`."""
    check_declared_length(request, limit)
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

    def check_headers(self, request: Request, now: float) -> tuple[str, SignedHeaders]:
        """The signing station and its signed headers; ApiError(401) with the reason."""
        try:
            station_id = signed_station(request.headers)
            with Session(self._engine) as session:
                try:
                    secret = station_secret(session, self._box, station_id)
                except StationError as e:
                    raise ApiError(500, "server_key_error", str(e)) from None
            signed = verify_headers(request.method, request.url.path, request.url.query,
                                    request.headers, secret, now=now)
        except SignatureError as e:
            raise ApiError(401, e.code, e.reason) from None
        return station_id, signed

    def accept(self, station_id: str, signed: SignedHeaders, body: bytes, now: float) -> Signed:
        """Check the body against the signed hash, then record the nonce (replays fail)."""
        try:
            check_body(signed, body)
            with Session(self._engine) as session, session.begin():
                try:
                    with session.begin_nested():
                        session.add(Nonce(station_id=station_id, nonce=signed.nonce,
                                          seen_at=int(now)))
                except IntegrityError:
                    raise SignatureError("replayed_nonce", "X-Nonce 已用过，疑似重放") from None
                if now - self._last_prune > 60:
                    self._last_prune = now
                    session.execute(delete(Nonce).where(
                        Nonce.seen_at < int(now) - NONCE_KEEP_SECONDS))  # type: ignore[arg-type]
        except SignatureError as e:
            raise ApiError(401, e.code, e.reason) from None
        return Signed(station_id, body)

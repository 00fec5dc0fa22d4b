"""Request authentication: headers first, then a capped body, then the nonce replay check.

The signature covers the declared body hash, so it is checked before a byte of the body is
read: an unsigned or forged 19 MiB upload is answered 401 without being buffered. Only then is
the body read (with the endpoint's cap) and compared with the signed hash. The nonce is
recorded last, so a forger cannot use up a station's nonces. Unknown station and bad
signature get one answer, so station ids cannot be probed.

A push, the busiest request, checks its headers against the station's secret as last read
from the database (kept per process) without a database round trip, and records its nonce in
the push's own transaction (:meth:`Authenticator.admit`), where it also reads the station's
row under lock: had the secret been rotated since, the signature is checked again against
the new one before anything is stored. So a rotated secret is refused as soon as the rotation
has committed, as on every other endpoint, and a push costs one transaction, not three.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.requests import ClientDisconnect, Request

from district_backend.errors import ApiError
from district_backend.models import Nonce, Station, metadata
from district_backend.stations import SecretBox, StationError, sealed_secret
from station_app.wire.signing import (
    BAD_SIGNATURE_REASON,
    MAX_SKEW_SECONDS,
    SignatureError,
    SignedHeaders,
    check_body,
    signed_station,
    verify_headers,
)

NONCE_KEEP_SECONDS = 2 * MAX_SKEW_SECONDS + 60  # a timestamp this old is rejected anyway
NONCES = metadata.tables[Nonce.__tablename__]
STATIONS = metadata.tables[Station.__tablename__]
# Built once: a push runs both, and building a statement costs about as much CPU as running it
_LOCK_STATION = (select(STATIONS.c.secret_sealed).where(STATIONS.c.id == bindparam("station"))
                 .with_for_update())
_RECORD_NONCE = insert(NONCES)


@dataclass(frozen=True)
class Signed:
    """A verified request: who sent it and the exact body bytes that were signed."""

    station_id: str
    body: bytes


@dataclass(frozen=True)
class SignedRequest:
    """What the signature covers, kept so it can be checked again with a rotated secret."""

    method: str
    path: str
    query: str
    headers: dict[str, str]

    @classmethod
    def of(cls, request: Request) -> SignedRequest:
        return cls(request.method, request.url.path, request.url.query, dict(request.headers))

    def verify(self, secret: str | None, now: float) -> SignedHeaders:
        return verify_headers(self.method, self.path, self.query, self.headers, secret,
                              now=now)


@dataclass(frozen=True)
class Verified:
    """Headers whose signature checked out with the secret sealed as ``sealed`` (the
    station row's value when it was read); the body and the nonce are still to check."""

    station_id: str
    signed: SignedHeaders
    sealed: str
    request: SignedRequest


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


def check_signed_body(signed: SignedHeaders, body: bytes) -> None:
    """ApiError(401) unless ``body`` is the one whose hash was signed."""
    try:
        check_body(signed, body)
    except SignatureError as e:
        raise ApiError(401, e.code, e.reason) from None


class Authenticator:
    """Verifies signed requests against the stations table. Thread-safe: the shared state is
    the prune timestamp (a lost update means one extra prune) and the per-process copy of
    the secrets read so far (each entry replaced whole)."""

    def __init__(self, engine: Engine, box: SecretBox) -> None:
        self._engine = engine
        self._box = box
        self._last_prune = 0.0
        self._secrets: dict[str, tuple[str, str]] = {}  # station -> (sealed, secret)

    def check_headers(self, request: Request, now: float) -> tuple[str, SignedHeaders]:
        """The signing station and its signed headers; ApiError(401) with the reason."""
        verified = self.check_headers_read(SignedRequest.of(request), now)
        return verified.station_id, verified.signed

    def check_headers_read(self, request: SignedRequest, now: float) -> Verified:
        """:meth:`check_headers` with the station's secret read from the database (blocking)."""
        try:
            station_id = signed_station(request.headers)
            with Session(self._engine) as session:
                sealed = sealed_secret(session, station_id)
            secret = None if sealed is None else self._open(station_id, sealed)
            return Verified(station_id, request.verify(secret, now), sealed or "", request)
        except SignatureError as e:
            raise ApiError(401, e.code, e.reason) from None

    def check_headers_known(self, request: SignedRequest, now: float) -> Verified | None:
        """The same check with the secret this process last read (no database, no blocking);
        None when there is none, or when the signature fails with it (the secret may have
        been rotated since: the caller then asks :meth:`check_headers_read`)."""
        try:
            station_id = signed_station(request.headers)
            known = self._secrets.get(station_id)
            if known is None:
                return None
            return Verified(station_id, request.verify(known[1], now), known[0], request)
        except SignatureError:
            return None

    def _open(self, station_id: str, sealed: str) -> str:
        try:
            secret = self._box.open(station_id, sealed)
        except StationError as e:
            raise ApiError(500, "server_key_error", str(e)) from None
        self._secrets[station_id] = (sealed, secret)
        return secret

    def accept(self, station_id: str, signed: SignedHeaders, body: bytes, now: float) -> Signed:
        """Check the body against the signed hash, then record the nonce (replays fail)."""
        check_signed_body(signed, body)
        with Session(self._engine) as session, session.begin():
            self._record_nonce(session, station_id, signed.nonce, now)
        return Signed(station_id, body)

    def admit(self, session: Session, verified: Verified, now: float) -> None:
        """In the caller's transaction, before it writes: lock the station's row, make sure
        the signature holds with the secret stored now, and record the nonce. ApiError(401)
        when any fails; the caller's transaction must then be rolled back."""
        sealed = session.connection().execute(
            _LOCK_STATION, {"station": verified.station_id}).scalar_one_or_none()
        if sealed != verified.sealed:  # rotated (or removed) since the headers were checked
            self._secrets.pop(verified.station_id, None)
            if sealed is None:
                raise ApiError(401, "bad_signature", BAD_SIGNATURE_REASON)
            try:
                verified.request.verify(self._open(verified.station_id, sealed), now)
            except SignatureError as e:
                raise ApiError(401, e.code, e.reason) from None
        self._record_nonce(session, verified.station_id, verified.signed.nonce, now)

    def _record_nonce(self, session: Session, station_id: str, nonce: str, now: float) -> None:
        conn = session.connection()
        try:  # no savepoint: a replay ends the whole transaction anyway
            conn.execute(_RECORD_NONCE, {"station_id": station_id, "nonce": nonce,
                                         "seen_at": int(now)})
        except IntegrityError:
            raise ApiError(401, "replayed_nonce", "X-Nonce 已用过，疑似重放") from None
        if now - self._last_prune > 60:
            self._last_prune = now
            conn.execute(delete(NONCES).where(NONCES.c.seen_at < int(now) - NONCE_KEEP_SECONDS))

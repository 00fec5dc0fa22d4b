"""HMAC-SHA256 request signing shared by the station (signs) and the backend (verifies).

The signature covers method, path, sorted query, timestamp, nonce, body hash and station id,
so a captured request cannot be replayed (nonce + 5-minute window), redirected to another
endpoint, or given another body. Only the station and the backend know the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, quote

SCHEME: Final = "RS1-HMAC-SHA256"
MAX_SKEW_SECONDS: Final = 300

H_STATION: Final = "X-Station-Id"
H_TIMESTAMP: Final = "X-Timestamp"
H_NONCE: Final = "X-Nonce"
H_CONTENT: Final = "X-Content-SHA256"
H_SIGNATURE: Final = "X-Signature"
SIGNED_HEADERS: Final = (H_STATION, H_TIMESTAMP, H_NONCE, H_CONTENT, H_SIGNATURE)

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_NONCE = re.compile(r"^[0-9a-f]{32}$")

Query = str | Mapping[str, str | int] | Iterable[tuple[str, str | int]] | None


class SignatureError(Exception):
    """A request failed verification; `code` is stable, `reason` is for the operator."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def new_secret() -> str:
    """A fresh station secret (256 bits, URL-safe so it fits a QR setup string). Never starts
    with "-": typed after ``--secret`` it would be read as an option."""
    while True:
        secret = secrets.token_urlsafe(32)
        if not secret.startswith("-"):
            return secret


def new_nonce() -> str:
    return secrets.token_hex(16)


def body_sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_query(query: Query) -> str:
    """Sorted, RFC 3986-encoded `k=v&...`; raw strings are decoded first so both sides agree."""
    if query is None:
        pairs: list[tuple[str, str]] = []
    elif isinstance(query, str):
        pairs = parse_qsl(query, keep_blank_values=True)
    else:
        items = query.items() if isinstance(query, Mapping) else query
        pairs = [(str(k), str(v)) for k, v in items]
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def string_to_sign(
    method: str, path: str, query: Query, timestamp: str, nonce: str, content: str,
    station_id: str,
) -> str:
    return "\n".join(
        [SCHEME, method.upper(), path, canonical_query(query), timestamp, nonce, content,
         station_id]
    )


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_request(
    method: str, path: str, query: Query, body: bytes, station_id: str, secret: str, *,
    timestamp: int | None = None, nonce: str | None = None,
) -> dict[str, str]:
    """Headers to add to a request; send `body` byte for byte as signed."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nc = nonce or new_nonce()
    content = body_sha256(body)
    sig = _mac(secret, string_to_sign(method, path, query, ts, nc, content, station_id))
    return {H_STATION: station_id, H_TIMESTAMP: ts, H_NONCE: nc, H_CONTENT: content,
            H_SIGNATURE: sig}


def signed_station(headers: Mapping[str, str]) -> str:
    """The claimed station id, so the verifier can look up its secret."""
    station = _lower(headers).get(H_STATION.lower(), "")
    if not station:
        raise SignatureError("missing_headers", f"请求缺少签名头 {H_STATION}")
    return station


@dataclass(frozen=True)
class SignedHeaders:
    """What a request's headers promise once their signature verified: the nonce to record,
    the timestamp, and the SHA-256 the body must have."""

    nonce: str
    timestamp: int
    content_sha256: str


BAD_SIGNATURE_REASON: Final = "签名无效：站点未登记，或站点密钥不符，或请求被改动"


def verify_headers(
    method: str, path: str, query: Query, headers: Mapping[str, str], secret: str | None, *,
    now: float, max_skew: int = MAX_SKEW_SECONDS,
) -> SignedHeaders:
    """Check the signature before a single byte of the body is read.

    The signature covers the declared ``X-Content-SHA256``, so a server can refuse an unsigned
    or forged upload without buffering it, then compare the body it does read with
    :func:`check_body`. ``secret`` None (an unknown station) fails exactly like a wrong
    signature, after the same work, so station ids cannot be probed. The nonce must be
    recorded by the caller only after the body checked out, so forgeries cannot burn nonces.
    """
    h = _lower(headers)
    missing = [name for name in SIGNED_HEADERS if not h.get(name.lower())]
    if missing:
        raise SignatureError("missing_headers", f"请求缺少签名头 {', '.join(missing)}")
    ts_text, nonce, content = h["x-timestamp"], h["x-nonce"], h["x-content-sha256"]
    if not ts_text.isascii() or not ts_text.isdigit() or len(ts_text) > 12:
        raise SignatureError("bad_timestamp", "X-Timestamp 须为 Unix 秒数")
    if not _NONCE.match(nonce):
        raise SignatureError("bad_nonce", "X-Nonce 须为 32 位十六进制随机数")
    if not _HEX64.match(content):
        raise SignatureError("bad_content_hash", "X-Content-SHA256 须为 64 位十六进制")
    message = string_to_sign(method, path, query, ts_text, nonce, content, h["x-station-id"])
    expected = _mac(secret if secret is not None else secrets.token_urlsafe(32), message)
    if secret is None or not hmac.compare_digest(expected, h["x-signature"].lower()):
        raise SignatureError("bad_signature", BAD_SIGNATURE_REASON)
    ts = int(ts_text)
    if abs(now - ts) > max_skew:
        raise SignatureError("clock_skew", f"请求时间与服务器相差 {int(now - ts)} 秒，"
                             f"超过 {max_skew} 秒，请校准本机时钟")
    return SignedHeaders(nonce, ts, content)


def check_body(signed: SignedHeaders, body: bytes) -> None:
    """The body read after :func:`verify_headers` must be the one that was signed."""
    if not hmac.compare_digest(signed.content_sha256, body_sha256(body)):
        raise SignatureError("body_hash_mismatch", "请求体与 X-Content-SHA256 不符（传输中被改动）")


def verify_signature(
    method: str, path: str, query: Query, headers: Mapping[str, str], body: bytes,
    secret: str | None, *, now: float, max_skew: int = MAX_SKEW_SECONDS,
) -> tuple[str, int]:
    """:func:`verify_headers` then :func:`check_body`, for a body already in hand; returns
    (nonce, timestamp) for the caller's replay check."""
    signed = verify_headers(method, path, query, headers, secret, now=now, max_skew=max_skew)
    check_body(signed, body)
    return signed.nonce, signed.timestamp


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}

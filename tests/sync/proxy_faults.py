"""What the fault proxy (fault_proxy.py) does to one request, as values a test can script.

A :class:`Fault` only describes the misbehaviour; the proxy carries it out. Keeping the
descriptions apart from the server lets a test read its list of faults without the HTTP
plumbing, and lets the server stay one job: forward, and misbehave as told.

What a fault can do to a request:

- pass it through;
- answer 500/503 itself, with ``Retry-After`` as seconds or as an HTTP-date;
- stall past the client's read timeout (a bounded wait, released at close), before or after
  the backend has committed;
- forward it, let the backend commit, then drop the connection before any reply byte;
- reset the connection at once (nothing forwarded);
- forward it and replace the reply: malformed JSON, an oversized body (declared or chunked),
  a non-JSON content type, a 302 redirect;
- forward it and rewrite the real reply (:func:`rewrite_reply`; the push-reply rewrites are
  in reply_rewrites.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any

MAX_STALL = 20.0  # no scripted stall outlives this, whatever a test asks for
OVERSIZED = 5 * 1024 * 1024  # over the station's 4 MiB reply cap

Rewrite = Callable[[Any], Any]


@dataclass(frozen=True)
class Fault:
    """What the proxy does with one request. Build them with the functions below."""

    kind: str = "pass"  # pass | status | stall | drop | reset | reply | rewrite
    forward: bool = True  # whether the backend sees (and commits) the request
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    rewrite: Rewrite | None = None
    chunked: bool = False
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.kind


def passthrough() -> Fault:
    return Fault("pass")


def error(status: int = 503, retry_after: str | None = None, *,
          forward: bool = False) -> Fault:
    """Answer ``status`` with the backend's error shape (and ``Retry-After`` if given)."""
    body = json.dumps({"error": "unavailable", "reason": "区后台维护中"},
                      ensure_ascii=False).encode()
    headers = [("Content-Type", "application/json")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    return Fault("status", forward=forward, status=status, body=body, headers=tuple(headers),
                 label=f"{status}" + (f" Retry-After {retry_after}" if retry_after else ""))


def http_date(when: datetime) -> str:
    """An IMF-fixdate for ``Retry-After`` (RFC 9110 §5.6.7)."""
    return format_datetime(when, usegmt=True)


def stall(seconds: float, *, forward: bool = False) -> Fault:
    """Hold the reply ``seconds`` (capped); with ``forward`` the backend commits first."""
    return Fault("stall", forward=forward, seconds=min(seconds, MAX_STALL),
                 label="stall after commit" if forward else "stall")


def drop_after_commit() -> Fault:
    """Forward, let the backend commit and answer, then close without a reply byte."""
    return Fault("drop", forward=True, label="drop after commit")


def reset() -> Fault:
    """Reset the connection at once (RST); the backend never sees the request."""
    return Fault("reset", forward=False)


def reply(status: int, body: bytes, content_type: str = "application/json", *,
          forward: bool = True, headers: tuple[tuple[str, str], ...] = (),
          chunked: bool = False, label: str = "") -> Fault:
    """Forward (so the backend commits), then answer with this instead of its reply."""
    return Fault("reply", forward=forward, status=status, body=body, chunked=chunked,
                 headers=(("Content-Type", content_type), *headers), label=label)


def malformed_json() -> Fault:
    return reply(200, b'{"results": [{"index": 0, "submission_id": ', label="malformed JSON")


def non_json() -> Fault:
    return reply(200, b"<html><body>Gateway login</body></html>", "text/html",
                 label="non-JSON content type")


def oversized(*, declared: bool = True) -> Fault:
    """A reply over the station's cap: announced by Content-Length, or streamed chunked."""
    body = b'{"results": [' + b" " * OVERSIZED + b"]}"
    return reply(200, body, chunked=not declared,
                 label="oversized (declared)" if declared else "oversized (chunked)")


def redirect(location: str) -> Fault:
    return reply(302, b"", "text/plain", headers=(("Location", location),),
                 label="302 redirect")


def rewrite_reply(fn: Rewrite, label: str) -> Fault:
    """Forward, then answer 200 with ``fn(real JSON reply)`` re-serialised."""
    return Fault("rewrite", forward=True, rewrite=fn, label=label)

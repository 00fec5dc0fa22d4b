"""Strict reading of the district's replies: JSON only, exact models, or outcome unknown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import requests
from pydantic import BaseModel, ValidationError

from station_app.sync.errors import OutcomeUnknown
from station_app.wire.protocol import ErrorBody

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    content: bytes


def is_json(reply: Reply) -> bool:
    media = reply.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media == "application/json"


def parse(reply: Reply, model: type[M]) -> M:
    if not is_json(reply):
        raise OutcomeUnknown("区后台的应答不是 JSON", reached=True, status=reply.status)
    try:
        return model.model_validate_json(reply.content)
    except ValidationError as e:
        where = ".".join(str(p) for p in e.errors()[0]["loc"]) or "（整体）"
        raise OutcomeUnknown(f"区后台的应答格式不对（{where}）", reached=True,
                             status=reply.status) from None


def error_body(reply: Reply) -> ErrorBody | None:
    if not is_json(reply):
        return None
    try:
        return ErrorBody.model_validate_json(reply.content)
    except ValidationError:
        return None


def innermost(exc: BaseException) -> BaseException:
    """The innermost reason urllib3 wrapped (e.g. ConnectionRefusedError, socket.gaierror)."""
    seen = exc
    for _ in range(8):
        inner = getattr(seen, "reason", None)
        if not isinstance(inner, BaseException) and seen.args:
            inner = seen.args[0]
        if not isinstance(inner, BaseException):
            inner = seen.__cause__ or seen.__context__  # urllib3 chains the socket error
        if not isinstance(inner, BaseException):
            break
        seen = inner
    return seen


def root_cause(exc: BaseException) -> str:
    """The innermost reason's name, for the log (the worker is told in words)."""
    return type(innermost(exc)).__name__

"""Parsing a signed request's JSON body into its envelope model, with the errors a station
can act on: 400 for bytes that are not JSON, 422 naming where the structure is wrong."""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar

from pydantic import ValidationError

from district_backend.errors import ApiError
from station_app.wire.bounds import MAX_INT_DIGITS
from station_app.wire.feedback import FeedbackEnvelope
from station_app.wire.protocol import PushEnvelope

Envelope = TypeVar("Envelope", PushEnvelope, FeedbackEnvelope)


def parse_json(body: bytes, model: type[Envelope]) -> Envelope:
    try:
        obj: Any = json.loads(body, parse_constant=_no_constants, parse_int=_bounded_int)
    except (ValueError, RecursionError):
        raise ApiError(400, "bad_json", "请求体不是有效的 UTF-8 JSON") from None
    try:
        return model.model_validate(obj)
    except ValidationError as e:
        where = "；".join(".".join(map(str, err["loc"])) or "（整体）" for err in e.errors()[:5])
        raise ApiError(422, "invalid_request", f"请求体结构不对：{where}") from None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _bounded_int(digits: str) -> int | float:
    """An integer too long for any column reads as infinity, which fails that item's own
    checks (rejected), instead of failing Python's digit limit and with it the whole batch."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else math.inf

"""Pieces of the API fuzz tests (tests/backend/test_fuzz_*.py): a requests auth hook that
signs whatever request a generator produced with a real enrolled station's secret, and the
checks every reply must pass, whatever was sent."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from station_app.wire.protocol import ErrorBody
from station_app.wire.signing import sign_request


class StationSigner(requests.auth.AuthBase):
    """Signs the prepared request exactly as it will go out (method, encoded path and query,
    body bytes), so generated requests get past the signature check and reach the handlers."""

    def __init__(self, station_id: str, secret: str) -> None:
        self.station_id = station_id
        self.secret = secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        parts = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers.update(sign_request(request.method or "GET", parts.path, parts.query,
                                            body, self.station_id, self.secret))
        return request


def check_reply(method: str, response: requests.Response, sent: str) -> None:
    """No 5xx for any input; every refusal in the one error shape (a HEAD reply has no body)."""
    assert response.status_code < 500, (
        f"{response.status_code} for {sent}: {response.text[:300]}")
    if response.status_code >= 400 and method.upper() != "HEAD":
        ErrorBody.model_validate_json(response.content)
